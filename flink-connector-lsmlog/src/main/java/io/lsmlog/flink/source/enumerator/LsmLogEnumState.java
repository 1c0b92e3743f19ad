package io.lsmlog.flink.source.enumerator;

import io.lsmlog.KeyRange;
import io.lsmlog.flink.source.split.LsmLogSplit;
import java.util.List;
import java.util.Set;

/**
 * The enumerator's checkpoint: the resolved start and stop sequences, the next segment to plan (-1:
 * none planned yet), whether planning reached the stop, and every split not yet finished — both
 * unassigned ones and those assigned to readers (needed to hold back later segments); for a source
 * started from a reader group, where each of the group's ranges starts (empty otherwise).
 */
public record LsmLogEnumState(
        long startSequence,
        long stopSequence,
        int nextSegment,
        boolean planningDone,
        List<KeyRange> lanes,
        List<LsmLogSplit> unfinished,
        Set<String> assigned,
        List<RangeStart> starts) {

    public LsmLogEnumState(
            long startSequence,
            long stopSequence,
            int nextSegment,
            boolean planningDone,
            List<KeyRange> lanes,
            List<LsmLogSplit> unfinished,
            Set<String> assigned) {
        this(
                startSequence,
                stopSequence,
                nextSegment,
                planningDone,
                lanes,
                unfinished,
                assigned,
                List.of());
    }
}
