package io.lsmlog.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * The baselines' layout in raw RocksDB: each record stored under key + 8-byte big-endian sequence
 * (what a log needs at the least), read back per key with one seek and a forward scan.
 */
final class RawLayout {
    private RawLayout() {}

    static byte[] storageKey(byte[] key, long sequence) {
        return ByteBuffer.allocate(key.length + 8).put(key).putLong(sequence).array();
    }

    /** Feeds every value stored under {@code key} to {@code values}; returns how many. */
    static long prefixScan(RocksDB db, byte[] key, Consumer<byte[]> values) {
        long count = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(key); it.isValid(); it.next()) {
                byte[] k = it.key();
                // "key-1" must not match "key-10": exactly the key, then a sequence.
                if (k.length != key.length + 8
                        || !Arrays.equals(k, 0, key.length, key, 0, key.length)) {
                    break;
                }
                values.accept(it.value());
                count++;
            }
        }
        return count;
    }
}
