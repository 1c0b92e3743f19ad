package io.lsmlog.read;

import io.lsmlog.KeyRange;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.SeqRange;
import io.lsmlog.storage.EntryValueCodec;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.Store;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Entries of a key range: segment by segment, each a contiguous scan of the keys in range; entries
 * outside the sequence range are skipped by seeking, not by reading.
 */
final class RangeScan extends BufferedIterator<LogEntry> implements LogIterator {
    private final KeyRange keys;
    private final SeqRange range;
    private final View view;
    private final RocksIterator it;
    private int segIndex = -1;
    private byte[] upper; // storage-key bound of the current segment
    private byte[] currentKey; // user key of the current run
    private byte[] currentEscaped;

    RangeScan(Store store, Guard guard, View view, KeyRange keys, SeqRange range) {
        super(store, guard);
        this.keys = keys;
        this.range = range;
        this.view = view;
        this.it = own(store.db.newIterator(store.entries));
    }

    private boolean nextSegment() {
        do {
            segIndex++;
        } while (segIndex < view.segments().size() && !view.overlaps(segIndex, range));
        if (segIndex >= view.segments().size()) {
            return false;
        }
        int id = view.segments().get(segIndex).id();
        upper =
                keys.end() == null
                        ? KeyCodec.segmentStart(id + 1)
                        : KeyCodec.segmentKeyBound(id, keys.end());
        it.seek(KeyCodec.segmentKeyBound(id, keys.start()));
        currentKey = null;
        return true;
    }

    @Override
    protected boolean fill(ArrayDeque<LogEntry> out) throws RocksDBException {
        if (segIndex < 0 && !nextSegment()) {
            return false;
        }
        while (out.size() < CHUNK) {
            if (!it.isValid() || Arrays.compareUnsigned(it.key(), upper) >= 0) {
                checkStatus(it);
                if (!nextSegment()) {
                    return false;
                }
                continue;
            }
            byte[] sk = it.key();
            if (currentKey == null || !KeyCodec.entryHasKey(sk, currentEscaped)) {
                currentKey = KeyCodec.entryUserKey(sk);
                currentEscaped = KeyCodec.escapeTerminated(currentKey);
            }
            int id = view.segments().get(segIndex).id();
            long seq = KeyCodec.entrySequence(sk);
            if (seq < range.from()) {
                it.seek(KeyCodec.entryKey(id, currentKey, range.from()));
                continue;
            }
            if (seq >= range.to()) {
                it.seek(KeyCodec.entryKeyAfter(id, currentKey));
                continue;
            }
            byte[] v = it.value();
            out.add(
                    new LogEntry(
                            currentKey,
                            seq,
                            EntryValueCodec.timestamp(v),
                            EntryValueCodec.value(v)));
            it.next();
        }
        return true;
    }
}
