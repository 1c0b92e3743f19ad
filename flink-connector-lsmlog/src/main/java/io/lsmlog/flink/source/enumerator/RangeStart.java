package io.lsmlog.flink.source.enumerator;

import io.lsmlog.KeyRange;
import io.lsmlog.flink.source.split.LsmLogSplit;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the keys of one range start: a source started from a reader group's positions ({@code
 * LsmLogPosition.group}) has one per group range, each at the range's committed position.
 */
public record RangeStart(KeyRange keys, long position) {

    /**
     * The planned splits cut at the ranges' bounds, each piece starting no earlier than its range's
     * position; pieces with nothing left to read are dropped. Keys in no range keep their split.
     * With no ranges the splits are returned as they are.
     */
    static List<LsmLogSplit> cut(List<LsmLogSplit> splits, List<RangeStart> starts) {
        if (starts.isEmpty()) {
            return splits;
        }
        List<LsmLogSplit> out = new ArrayList<>();
        for (LsmLogSplit s : splits) {
            for (int i = 0; i < starts.size(); i++) {
                RangeStart r = starts.get(i);
                KeyRange keys = s.keys().intersect(r.keys());
                long from = Math.max(s.from(), r.position());
                if (keys.isEmpty() || from >= s.to()) {
                    continue;
                }
                out.add(
                        LsmLogSplit.fresh(
                                s.splitId() + "-g" + i,
                                s.segment(),
                                s.lane(),
                                keys,
                                from,
                                s.to(),
                                s.tailing()));
            }
        }
        return out;
    }
}
