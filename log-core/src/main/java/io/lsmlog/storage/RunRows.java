package io.lsmlog.storage;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** The runs of a segment: a RocksDB iterator over the {@code entries} family, as it is. */
final class RunRows implements RowIterator {
    private final RocksIterator it;

    RunRows(RocksIterator it) {
        this.it = it;
    }

    @Override
    public void seek(byte[] target) {
        it.seek(target);
    }

    @Override
    public void seekForPrev(byte[] target) {
        it.seekForPrev(target);
    }

    @Override
    public boolean isValid() {
        return it.isValid();
    }

    @Override
    public void next() {
        it.next();
    }

    @Override
    public byte[] key() {
        return it.key();
    }

    @Override
    public byte[] value() {
        return it.value();
    }

    @Override
    public void status() throws RocksDBException {
        it.status();
    }

    @Override
    public void close() {
        it.close();
    }
}
