package io.lsmlog.read;

import io.lsmlog.KeyRange;
import java.util.Arrays;
import java.util.List;

/** Lookups in disjoint key ranges sorted by start. */
final class SortedRanges {
    private SortedRanges() {}

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
