package io.lsmlog.storage;

import java.util.Arrays;

/** A byte[] with value equality, for hash maps keyed by user keys. */
public record KeyBytes(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBytes k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
