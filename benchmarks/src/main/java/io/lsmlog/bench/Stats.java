package io.lsmlog.bench;

import java.util.Arrays;

/** Percentiles of a sample of latencies in nanoseconds. */
record Stats(long count, double medianMicros, double p99Micros, double p999Micros) {
    static Stats of(long[] nanos, int n) {
        long[] s = Arrays.copyOf(nanos, n);
        Arrays.sort(s);
        return new Stats(n, pct(s, 0.5), pct(s, 0.99), pct(s, 0.999));
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)));
        return sorted[i] / 1000.0;
    }

    @Override
    public String toString() {
        return String.format(
                "median %.0f us, p99 %.0f us, p99.9 %.0f us (n=%d)",
                medianMicros, p99Micros, p999Micros, count);
    }
}
