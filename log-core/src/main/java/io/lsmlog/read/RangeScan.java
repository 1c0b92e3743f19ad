package io.lsmlog.read;

import io.lsmlog.KeyRange;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.SeqRange;
import io.lsmlog.storage.EntryRows;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.RowIterator;
import io.lsmlog.storage.Store;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.rocksdb.RocksDBException;

/**
 * Entries of a key range: segment by segment, each a contiguous scan of the keys in range; entries
 * outside the sequence range are skipped by seeking, not by reading.
 */
final class RangeScan extends BufferedIterator<LogEntry> implements LogIterator {
    private final KeyRange keys;
    private final SeqRange range;
    private final View view;
    private RowIterator it; // over the rows of the segment being read
    private int segIndex = -1;
    private byte[] upper; // storage-key bound of the current segment
    private byte[] currentKey; // user key of the current run
    private byte[] currentEscaped;
    private boolean currentPositioned; // moved to the run that may hold range.from()

    RangeScan(Store store, Guard guard, View view, KeyRange keys, SeqRange range) {
        super(store, guard);
        this.keys = keys;
        this.range = range;
        this.view = view;
    }

    private boolean nextSegment() throws RocksDBException {
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
        disown(it);
        it = own(store.newSegmentIterator(id));
        it.seek(KeyCodec.segmentKeyBound(id, keys.start()));
        currentKey = null;
        return true;
    }

    @Override
    protected boolean fill(ArrayDeque<LogEntry> out) throws RocksDBException {
        if (it == null && !nextSegment()) {
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
                currentPositioned = false;
            }
            int id = view.segments().get(segIndex).id();
            long first = KeyCodec.entrySequence(sk);
            if (first < range.from() && !currentPositioned) {
                // Skip the rows below the range: the last run starting at or below its start.
                currentPositioned = true;
                it.seekForPrev(KeyCodec.entryKey(id, currentKey, range.from()));
                continue;
            }
            if (first >= range.to()) {
                it.seek(KeyCodec.entryKeyAfter(id, currentKey));
                continue;
            }
            EntryRows.decode(currentKey, first, it.value(), range.from(), range.to(), out::add);
            it.next();
        }
        return true;
    }
}
