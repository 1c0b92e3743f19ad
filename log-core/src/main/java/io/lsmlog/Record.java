package io.lsmlog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record to append: a key (its stream), a value, and an optional timestamp in epoch
 * milliseconds. Without a timestamp the entry gets its append time.
 */
public record Record(byte[] key, byte[] value, long timestamp) {
    /** Marks a record without its own timestamp. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public Record {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    public Record(byte[] key, byte[] value) {
        this(key, value, NO_TIMESTAMP);
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
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(key) + Arrays.hashCode(value)) + Long.hashCode(timestamp);
    }

    @Override
    public String toString() {
        return "Record[key="
                + Printable.bytes(key)
                + ", value="
                + Printable.bytes(value)
                + (hasTimestamp() ? ", timestamp=" + timestamp : "")
                + "]";
    }
}
