package io.lsmlog.read;

import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.SeqRange;
import io.lsmlog.storage.EntryRows;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.RowIterator;
import io.lsmlog.storage.Store;
import java.util.ArrayDeque;
import java.util.List;
import org.rocksdb.RocksDBException;

/**
 * One key's entries: one seek per segment that holds the key (known from the key index, so segments
 * without the key cost nothing), then a forward scan of its rows (runs) while the key matches.
 */
final class KeyScan extends BufferedIterator<LogEntry> implements LogIterator {
    private final byte[] key;
    private final byte[] escaped;
    private final SeqRange range;
    private final View view;
    private final List<Integer> segmentIndexes;
    private RowIterator it; // over the rows of the segment being read
    private int next; // position in segmentIndexes
    private boolean positioned;
    private int segmentId; // of the segment being read

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
        while (out.size() < CHUNK) {
            if (!positioned) {
                if (next >= segmentIndexes.size()) {
                    return false;
                }
                int idx = segmentIndexes.get(next);
                long from = Math.max(range.from(), view.segments().get(idx).startSequence());
                segmentId = view.segments().get(idx).id();
                disown(it);
                it = own(store.newSegmentIterator(segmentId));
                RowSeek.seek(
                        it,
                        segmentId,
                        key,
                        escaped,
                        from,
                        view.segments().get(idx).startSequence());
                positioned = true;
            }
            // One JNI call for the key per entry: it.key() copies it out each time.
            byte[] k = it.isValid() ? it.key() : null;
            if (k == null
                    || !KeyCodec.entryHasKey(k, escaped)
                    || KeyCodec.entrySegment(k) != segmentId) {
                checkStatus(it);
                positioned = false;
                next++;
                continue;
            }
            long first = KeyCodec.entrySequence(k);
            if (first >= range.to()) {
                positioned = false;
                next++;
                continue;
            }
            EntryRows.decode(key, first, it.value(), range.from(), range.to(), out);
            it.next();
        }
        return true;
    }
}
