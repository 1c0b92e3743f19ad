package io.lsmlog.group;

import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.LogRead;
import io.lsmlog.SeqRange;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the key space into a new group's ranges: at weighted quantiles of the keys the log holds
 * (each key weighs its entry count, from the key index), so that ranges carry similar amounts of
 * data rather than similar numbers of keys. A log with fewer keys than ranges is split evenly over
 * printable ASCII, where most keys start.
 */
final class RangePlanner {
    /** Above this many keys each weighs 1: counting every key would make creation slow. */
    static final int COUNTED_KEYS = 20_000;

    private RangePlanner() {}

    static List<KeyRange> plan(LogRead log, int n) {
        List<byte[]> keys = new ArrayList<>();
        try (KeyIterator it = log.keys(KeyRange.all())) {
            while (it.hasNext()) {
                keys.add(it.next());
            }
        }
        List<byte[]> bounds = keys.size() >= n ? quantiles(log, keys, n) : printableSplits(n);
        List<KeyRange> out = new ArrayList<>(n);
        byte[] start = null;
        for (byte[] b : bounds) {
            out.add(KeyRange.between(start, b));
            start = b;
        }
        out.add(KeyRange.between(start, null));
        return out;
    }

    /** n - 1 increasing boundaries, each the first key past an n-th of the total weight. */
    private static List<byte[]> quantiles(LogRead log, List<byte[]> keys, int n) {
        long[] weights = new long[keys.size()];
        long total = 0;
        boolean counted = keys.size() <= COUNTED_KEYS;
        for (int i = 0; i < keys.size(); i++) {
            weights[i] = counted ? Math.max(1, log.count(keys.get(i), SeqRange.all())) : 1;
            total += weights[i];
        }
        List<byte[]> bounds = new ArrayList<>(n - 1);
        long seen = 0;
        int cut = 1;
        for (int i = 0; i < keys.size() && cut < n; i++) {
            // Key i starts the next range once the ranges before it hold their share.
            if (i > 0 && seen * n >= total * cut && keys.size() - i >= n - cut) {
                bounds.add(keys.get(i));
                cut++;
            } else if (keys.size() - i <= n - cut) {
                bounds.add(keys.get(i)); // as many keys left as ranges: one each
                cut++;
            }
            seen += weights[i];
        }
        return bounds;
    }

    /** Two-byte boundaries spread evenly over 0x2000..0x7F00. */
    private static List<byte[]> printableSplits(int n) {
        List<byte[]> bounds = new ArrayList<>(n - 1);
        int lo = 0x2000;
        int hi = 0x7F00;
        int last = -1;
        for (int i = 1; i < n; i++) {
            int v = lo + (int) ((long) (hi - lo) * i / n);
            if (v <= last) {
                v = last + 1; // many ranges: keep boundaries strictly increasing
            }
            bounds.add(new byte[] {(byte) (v >> 8), (byte) v});
            last = v;
        }
        return bounds;
    }
}
