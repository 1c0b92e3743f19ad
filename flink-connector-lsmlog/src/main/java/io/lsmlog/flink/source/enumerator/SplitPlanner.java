package io.lsmlog.flink.source.enumerator;

import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.LogRead;
import io.lsmlog.Segment;
import io.lsmlog.flink.source.split.LsmLogSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts the key space into lanes and segments into splits.
 *
 * <p><b>Lanes</b> are key ranges fixed for the life of a job (chosen once, at key quantiles of the
 * keys the log holds when it first has any), about one per reader. A lane always goes to the same
 * reader, so a key's entries of consecutive segments leave the source through one channel, in
 * order.
 *
 * <p><b>Splits</b>: a sealed segment's part of a lane is cut by size — about {@code
 * approximateBytes / lanes / targetSplitBytes} pieces with boundaries at key quantiles of the
 * segment's keys in the lane. The newest segment, read while it grows, is one split per lane.
 */
final class SplitPlanner {
    static final int MAX_PIECES = 256;

    private SplitPlanner() {}

    static List<KeyRange> lanes(LogRead log, List<KeyRange> selection, int parallelism) {
        int perRange = Math.max(1, (parallelism + selection.size() - 1) / selection.size());
        List<KeyRange> out = new ArrayList<>();
        for (KeyRange r : selection) {
            if (perRange == 1) {
                out.add(r);
                continue;
            }
            List<byte[]> keys = new ArrayList<>();
            try (KeyIterator it = log.keys(r)) {
                it.forEachRemaining(keys::add);
            }
            out.addAll(cut(r, quantiles(keys, perRange, r)));
        }
        return out;
    }

    static List<LsmLogSplit> plan(
            LogRead log,
            Segment segment,
            List<KeyRange> lanes,
            long from,
            long to,
            boolean tailing,
            long targetSplitBytes) {
        int pieces = 1;
        if (!tailing) {
            long bytes = log.approximateBytes(segment) / Math.max(1, lanes.size());
            pieces =
                    (int)
                            Math.min(
                                    MAX_PIECES,
                                    Math.max(1, (bytes + targetSplitBytes - 1) / targetSplitBytes));
        }
        List<LsmLogSplit> out = new ArrayList<>();
        for (int lane = 0; lane < lanes.size(); lane++) {
            KeyRange range = lanes.get(lane);
            List<byte[]> bounds = List.of();
            if (pieces > 1) {
                List<byte[]> keys = new ArrayList<>();
                try (KeyIterator it = log.keys(List.of(segment), range)) {
                    it.forEachRemaining(keys::add);
                }
                bounds = quantiles(keys, pieces, range);
            }
            List<KeyRange> parts = cut(range, bounds);
            for (int p = 0; p < parts.size(); p++) {
                out.add(
                        LsmLogSplit.fresh(
                                "s" + segment.id() + "-l" + lane + "-p" + p,
                                segment.id(),
                                lane,
                                parts.get(p),
                                from,
                                to,
                                tailing));
            }
        }
        return out;
    }

    /** Up to pieces-1 increasing keys strictly inside the range, at quantiles of the keys. */
    static List<byte[]> quantiles(List<byte[]> keys, int pieces, KeyRange range) {
        List<byte[]> out = new ArrayList<>();
        int n = Math.min(pieces, keys.size());
        for (int i = 1; i < n; i++) {
            byte[] b = keys.get((int) ((long) i * keys.size() / n));
            boolean afterStart =
                    range.start() == null || Arrays.compareUnsigned(b, range.start()) > 0;
            boolean afterLast =
                    out.isEmpty() || Arrays.compareUnsigned(out.get(out.size() - 1), b) < 0;
            if (afterStart && afterLast) {
                out.add(b);
            }
        }
        return out;
    }

    /** The range cut at the boundaries. */
    static List<KeyRange> cut(KeyRange range, List<byte[]> bounds) {
        List<KeyRange> out = new ArrayList<>();
        byte[] start = range.start();
        for (byte[] b : bounds) {
            out.add(new KeyRange(start, b));
            start = b;
        }
        out.add(new KeyRange(start, range.end()));
        return out;
    }
}
