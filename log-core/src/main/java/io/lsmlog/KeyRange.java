package io.lsmlog;

import java.util.Arrays;

/**
 * A range of keys in unsigned byte order: {@code start} inclusive, {@code end} exclusive; a null
 * bound is open.
 */
public record KeyRange(byte[] start, byte[] end) {
    public KeyRange {
        if (start != null && end != null && Arrays.compareUnsigned(start, end) > 0) {
            throw new InvalidArgumentException(
                    "key range start "
                            + Printable.bytes(start)
                            + " is after its end "
                            + Printable.bytes(end));
        }
    }

    /** Orders ranges by their start, an open start first. */
    public static final java.util.Comparator<KeyRange> BY_START =
            (a, b) ->
                    a.start() == null
                            ? (b.start() == null ? 0 : -1)
                            : b.start() == null ? 1 : Arrays.compareUnsigned(a.start(), b.start());

    public static KeyRange all() {
        return new KeyRange(null, null);
    }

    public static KeyRange between(byte[] start, byte[] end) {
        return new KeyRange(start, end);
    }

    /** Every key that starts with {@code prefix}. */
    public static KeyRange prefix(byte[] prefix) {
        return new KeyRange(prefix.length == 0 ? null : prefix.clone(), prefixEnd(prefix));
    }

    public static KeyRange prefix(String prefix) {
        return prefix(prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Exactly one key. */
    public static KeyRange single(byte[] key) {
        byte[] end = Arrays.copyOf(key, key.length + 1);
        return new KeyRange(key.clone(), end);
    }

    /** The smallest key greater than every key starting with prefix, or null if none exists. */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    public boolean contains(byte[] key) {
        return (start == null || Arrays.compareUnsigned(key, start) >= 0)
                && (end == null || Arrays.compareUnsigned(key, end) < 0);
    }

    /** The keys in both ranges; an empty range when they share none. */
    public KeyRange intersect(KeyRange other) {
        byte[] s =
                start == null ? other.start : other.start == null ? start : max(start, other.start);
        byte[] e = end == null ? other.end : other.end == null ? end : min(end, other.end);
        if (s != null && e != null && Arrays.compareUnsigned(s, e) > 0) {
            e = s; // disjoint: [s, s) is empty
        }
        return new KeyRange(s, e);
    }

    /** True if some key is in both ranges. */
    public boolean overlaps(KeyRange other) {
        return !intersect(other).isEmpty();
    }

    /** True if every key of {@code other} is in this range. */
    public boolean encloses(KeyRange other) {
        return (start == null
                        || (other.start != null && Arrays.compareUnsigned(other.start, start) >= 0))
                && (end == null
                        || (other.end != null && Arrays.compareUnsigned(other.end, end) <= 0));
    }

    private static byte[] max(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static byte[] min(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }

    public boolean isEmpty() {
        return start != null && end != null && Arrays.compareUnsigned(start, end) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange r
                && Arrays.equals(start, r.start)
                && Arrays.equals(end, r.end);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(start) + Arrays.hashCode(end);
    }

    @Override
    public String toString() {
        return "KeyRange["
                + (start == null ? "-inf" : Printable.bytes(start))
                + ", "
                + (end == null ? "+inf" : Printable.bytes(end))
                + ")";
    }
}
