package io.lsmlog.read;

import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.SeqRange;
import io.lsmlog.storage.EntryValueCodec;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.Store;
import java.util.ArrayDeque;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One key's entries: one seek per segment that holds the key (known from the key index, so segments
 * without the key cost nothing), then a forward scan while the key matches.
 */
final class KeyScan extends BufferedIterator<LogEntry> implements LogIterator {
    private final byte[] key;
    private final byte[] escaped;
    private final SeqRange range;
    private final View view;
    private final List<Integer> segmentIndexes;
    private final RocksIterator it;
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
        this.it = own(store.db.newIterator(store.entries));
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
                it.seek(KeyCodec.entryKey(segmentId, key, from));
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
            long seq = KeyCodec.entrySequence(k);
            if (seq >= range.to()) {
                positioned = false;
                next++;
                continue;
            }
            byte[] v = it.value();
            out.add(new LogEntry(key, seq, EntryValueCodec.timestamp(v), EntryValueCodec.value(v)));
            it.next();
        }
        return true;
    }
}
