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
                it.seek(KeyCodec.entryKey(view.segments().get(idx).id(), key, from));
                positioned = true;
            }
            if (!it.isValid()
                    || !KeyCodec.entryHasKey(it.key(), escaped)
                    || KeyCodec.entrySegment(it.key())
                            != view.segments().get(segmentIndexes.get(next)).id()) {
                checkStatus(it);
                positioned = false;
                next++;
                continue;
            }
            long seq = KeyCodec.entrySequence(it.key());
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
