package io.lsmlog.read;

import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.SeqRange;
import io.lsmlog.storage.EntryRows;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.RowIterator;
import io.lsmlog.storage.Store;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One key's entries: for each segment that holds the key (known from the key index, so segments
 * without the key cost nothing), one seek — one per window in a sealed segment, whose chunks are
 * window-major — then a forward scan of the key's rows. One runs iterator and one chunks iterator
 * serve the whole scan (made in that order, see {@link Store#newSegmentIterator}).
 */
final class KeyScan extends BufferedIterator<LogEntry> implements LogIterator {
    private final byte[] key;
    private final byte[] escaped;
    private final SeqRange range;
    private final View view;
    private final List<Integer> segmentIndexes;
    // One iterator per family for the whole scan, the runs' made first (see
    // Store#newSegmentIterator).
    private RowIterator runs;
    private RocksIterator chunks; // null without a sealed family
    private int next; // position in segmentIndexes
    private boolean positioned;
    private int segmentId; // of the segment being read
    private int windows; // of the segment being read: 0 when it is read as runs
    private int window; // the window being read

    KeyScan(Store store, Guard guard, View view, byte[] key, SeqRange range, List<Integer> segs) {
        super(store, guard);
        this.key = key.clone();
        this.escaped = KeyCodec.escapeTerminated(key);
        this.range = range;
        this.view = view;
        this.segmentIndexes = segs;
    }

    @Override
    protected boolean fill(ArrayDeque<LogEntry> out) throws RocksDBException {
        if (runs == null) {
            runs = own(store.newRunsIterator());
            chunks = store.sealed == null ? null : own(store.db.newIterator(store.sealed));
        }
        while (out.size() < CHUNK) {
            if (!positioned) {
                if (next >= segmentIndexes.size()) {
                    return false;
                }
                int idx = segmentIndexes.get(next);
                long segStart = view.segments().get(idx).startSequence();
                long from = Math.max(range.from(), segStart);
                segmentId = view.segments().get(idx).id();
                windows = windowsOf(segmentId);
                if (windows == 0) {
                    RowSeek.seek(runs, segmentId, key, escaped, from, segStart);
                } else {
                    window = (int) ((from - segStart) / EntryRows.STRETCH);
                    chunks.seek(KeyCodec.chunkKey(segmentId, window, key, 0));
                }
                positioned = true;
            }
            boolean more = windows == 0 ? readRun(out) : readChunk(out);
            if (!more) {
                positioned = false;
                next++;
            }
        }
        return true;
    }

    /** The segment's windows of chunks, from the scan's chunks iterator (0: read its runs). */
    private int windowsOf(int segment) throws RocksDBException {
        if (chunks == null) {
            return 0;
        }
        chunks.seekForPrev(KeyCodec.segmentStart(segment + 1));
        if (chunks.isValid()) {
            byte[] k = chunks.key();
            return KeyCodec.chunkSegment(k) == segment ? KeyCodec.chunkWindow(k) + 1 : 0;
        }
        checkStatus(chunks);
        return 0;
    }

    /** Decodes the run under the iterator; false when the segment has no more of the key. */
    private boolean readRun(ArrayDeque<LogEntry> out) throws RocksDBException {
        byte[] k = runs.isValid() ? runs.key() : null;
        if (k == null
                || !KeyCodec.entryHasKey(k, escaped)
                || KeyCodec.entrySegment(k) != segmentId) {
            checkStatus(runs);
            return false;
        }
        long first = KeyCodec.entrySequence(k);
        if (first >= range.to()) {
            return false;
        }
        EntryRows.decode(key, first, runs.value(), range.from(), range.to(), out::add);
        runs.next();
        return true;
    }

    /**
     * Decodes the chunk under the iterator, or moves to the key's chunks of the next window; false
     * when the segment has no more of the key.
     */
    private boolean readChunk(ArrayDeque<LogEntry> out) throws RocksDBException {
        byte[] k = chunks.isValid() ? chunks.key() : null;
        if (k == null
                || KeyCodec.chunkSegment(k) != segmentId
                || KeyCodec.chunkWindow(k) != window
                || !chunkHasKey(k)) {
            checkStatus(chunks);
            if (++window >= windows) {
                return false;
            }
            chunks.seek(KeyCodec.chunkKey(segmentId, window, key, 0));
            return true;
        }
        long first = KeyCodec.entrySequence(k);
        if (first >= range.to()) {
            return false; // later windows hold later sequences
        }
        EntryRows.decode(key, first, chunks.value(), range.from(), range.to(), out::add);
        chunks.next();
        return true;
    }

    private boolean chunkHasKey(byte[] chunkKey) {
        int len = escaped.length;
        return chunkKey.length == KeyCodec.CHUNK_PREFIX + len + 8
                && Arrays.equals(
                        chunkKey,
                        KeyCodec.CHUNK_PREFIX,
                        KeyCodec.CHUNK_PREFIX + len,
                        escaped,
                        0,
                        len);
    }
}
