package io.lsmlog.read;

import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.Store;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** Distinct keys from the key index: one seek per key, skipping the key's other segments. */
final class IndexKeys extends BufferedIterator<byte[]> implements KeyIterator {
    private final KeyRange keys;
    private final View view;
    private final RocksIterator it;
    private boolean started;

    IndexKeys(Store store, Guard guard, View view, KeyRange keys) {
        super(store, guard);
        this.keys = keys;
        this.view = view;
        this.it = own(store.db.newIterator(store.keyIndex));
    }

    @Override
    protected boolean fill(ArrayDeque<byte[]> out) throws RocksDBException {
        if (!started) {
            it.seek(KeyCodec.keyIndexBound(keys.start()));
            started = true;
        }
        while (out.size() < CHUNK) {
            if (!it.isValid()) {
                checkStatus(it);
                return false;
            }
            byte[] ik = it.key();
            byte[] key = KeyCodec.keyIndexUserKey(ik);
            if (keys.end() != null && Arrays.compareUnsigned(key, keys.end()) >= 0) {
                return false;
            }
            if (view.indexOf(KeyCodec.keyIndexSegment(ik)) < 0) {
                it.next(); // a segment dropped by retention or not yet visible
                continue;
            }
            out.add(key);
            it.seek(KeyCodec.keyIndexAfter(key));
        }
        return true;
    }
}
