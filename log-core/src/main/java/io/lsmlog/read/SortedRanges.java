package io.lsmlog.read;

import io.lsmlog.KeyRange;
import java.util.Arrays;
import java.util.List;

/** Lookups in disjoint key ranges sorted by start. */
final class SortedRanges {
    private SortedRanges() {}

    /** The indexes of {@code ranges} in the order of their starts (an open start first). */
    static int[] orderByStart(List<KeyRange> ranges) {
        Integer[] order = new Integer[ranges.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> KeyRange.BY_START.compare(ranges.get(a), ranges.get(b)));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** {@code ranges} in the given order. */
    static List<KeyRange> inOrder(List<KeyRange> ranges, int[] order) {
        List<KeyRange> out = new java.util.ArrayList<>(order.length);
        for (int i : order) {
            out.add(ranges.get(i));
        }
        return out;
    }

    /** The index of the range holding the key, or -1: a binary search. */
    static int indexOf(List<KeyRange> sorted, byte[] key) {
        int lo = 0;
        int hi = sorted.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            KeyRange r = sorted.get(mid);
            if (r.start() != null && Arrays.compareUnsigned(key, r.start()) < 0) {
                hi = mid - 1;
            } else if (r.end() != null && Arrays.compareUnsigned(key, r.end()) >= 0) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
