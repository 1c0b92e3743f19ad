package io.lsmlog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record to append: a key (its stream), a value, and an optional timestamp in epoch
 * milliseconds. Without a timestamp the entry gets its append time. A tombstone ({@link #delete})
 * says the key was deleted: the delete of an upsert table; it has no value.
 */
public record Record(byte[] key, byte[] value, long timestamp, boolean tombstone) {
    /** Marks a record without its own timestamp. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public Record {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (tombstone && value.length > 0) {
            throw new InvalidArgumentException(
                    "a tombstone has no value, got " + value.length + " bytes");
        }
    }

    public Record(byte[] key, byte[] value, long timestamp) {
        this(key, value, timestamp, false);
    }

    public Record(byte[] key, byte[] value) {
        this(key, value, NO_TIMESTAMP, false);
    }

    /** A tombstone: the key was deleted (an upsert table's DELETE). */
    public static Record delete(byte[] key) {
        return new Record(key, new byte[0], NO_TIMESTAMP, true);
    }

    /** A tombstone with its own timestamp. */
    public static Record delete(byte[] key, long timestamp) {
        return new Record(key, new byte[0], timestamp, true);
    }

    public static Record of(String key, String value) {
        return new Record(
                key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    public static Record of(String key, String value, long timestamp) {
        return new Record(
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                timestamp);
    }

    public boolean hasTimestamp() {
        return timestamp != NO_TIMESTAMP;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r
                && timestamp == r.timestamp
                && tombstone == r.tombstone
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(key) + Arrays.hashCode(value))
                + Long.hashCode(timestamp)
                + (tombstone ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Record[key="
                + Printable.bytes(key)
                + (tombstone ? ", tombstone" : ", value=" + Printable.bytes(value))
                + (hasTimestamp() ? ", timestamp=" + timestamp : "")
                + "]";
    }
}
