package io.lsmlog.read;

import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.RowIterator;
import io.lsmlog.storage.Store;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import org.rocksdb.RocksDBException;

/**
 * Distinct keys of some segments: per segment, a skip scan of the entries (one seek per key),
 * merged across segments in key order.
 */
final class SegmentKeys extends BufferedIterator<byte[]> implements KeyIterator {
    private final KeyRange keys;
    private final PriorityQueue<Cursor> heap =
            new PriorityQueue<>((a, b) -> Arrays.compareUnsigned(a.key, b.key));
    private final List<Integer> segmentIds;
    private boolean started;
    private byte[] last;

    private final class Cursor {
        final int segment;
        final RowIterator it;
        final byte[] upper;
        byte[] key;

        Cursor(int segment) throws RocksDBException {
            this.segment = segment;
            this.it = own(store.newSegmentIterator(segment));
            this.upper =
                    keys.end() == null
                            ? KeyCodec.segmentStart(segment + 1)
                            : KeyCodec.segmentKeyBound(segment, keys.end());
        }

        /** Loads the key under the iterator; false when past the segment or range. */
        boolean load() throws RocksDBException {
            if (!it.isValid() || Arrays.compareUnsigned(it.key(), upper) >= 0) {
                checkStatus(it);
                return false;
            }
            key = KeyCodec.entryUserKey(it.key());
            return true;
        }
    }

    SegmentKeys(Store store, Guard guard, List<Integer> segmentIds, KeyRange keys) {
        super(store, guard);
        this.keys = keys;
        this.segmentIds = segmentIds;
    }

    @Override
    protected boolean fill(ArrayDeque<byte[]> out) throws RocksDBException {
        if (!started) {
            started = true;
            for (int id : segmentIds) {
                Cursor c = new Cursor(id);
                c.it.seek(KeyCodec.segmentKeyBound(id, keys.start()));
                if (c.load()) {
                    heap.add(c);
                }
            }
        }
        while (out.size() < CHUNK) {
            Cursor c = heap.poll();
            if (c == null) {
                return false;
            }
            if (last == null || !Arrays.equals(last, c.key)) {
                out.add(c.key);
                last = c.key;
            }
            c.it.seek(KeyCodec.entryKeyAfter(c.segment, c.key));
            if (c.load()) {
                heap.add(c);
            }
        }
        return true;
    }
}
