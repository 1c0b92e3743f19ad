package io.lsmlog.storage;

import org.rocksdb.RocksDBException;

/**
 * The rows of one segment in (key, first sequence) order, keys in the {@code entries} layout
 * ({@link KeyCodec#entryKey}) whichever family holds them: the runs of an open segment, or the
 * chunks of a sealed one merged across its windows ({@link Store#newSegmentIterator}).
 */
public interface RowIterator extends AutoCloseable {
    void seek(byte[] target);

    /** The last row at or before the target; {@link #next()} goes on forward from it. */
    void seekForPrev(byte[] target);

    boolean isValid();

    void next();

    byte[] key();

    byte[] value();

    /** Throws what the underlying iterators met, if anything. */
    void status() throws RocksDBException;

    @Override
    void close();
}
