package io.lsmlog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An entry of the log: the record's key and value, the sequence the log assigned to it, and its
 * timestamp (the record's own, or its append time). A tombstone says the key was deleted at that
 * sequence (an upsert table's DELETE); its value is empty.
 */
public record LogEntry(byte[] key, long sequence, long timestamp, byte[] value, boolean tombstone) {

    public LogEntry(byte[] key, long sequence, long timestamp, byte[] value) {
        this(key, sequence, timestamp, value, false);
    }

    public String keyString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    public String valueString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e
                && sequence == e.sequence
                && timestamp == e.timestamp
                && tombstone == e.tombstone
                && Arrays.equals(key, e.key)
                && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "LogEntry[key="
                + Printable.bytes(key)
                + ", sequence="
                + sequence
                + ", timestamp="
                + timestamp
                + (tombstone ? ", tombstone" : ", value=" + Printable.bytes(value))
                + "]";
    }
}
