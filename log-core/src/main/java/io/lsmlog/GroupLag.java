package io.lsmlog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader group's exact lag: per range, the entries of its keys between its committed position and
 * the log's frontier, counted in one pass over the write order ({@link LogRead#countRanges}: no
 * value is read, and the cost follows the lag, not the number of keys). Kafka's lag is an offset
 * difference per partition; this is a count per key range.
 *
 * @param frontier the log's next sequence when the lag was taken
 * @param perRange range id → entries not yet consumed, in range order
 */
public record GroupLag(long frontier, Map<Integer, Long> perRange) {
    public GroupLag {
        perRange = Collections.unmodifiableMap(new LinkedHashMap<>(perRange));
    }

    /** The lag of {@code group} in {@code log} now. */
    public static GroupLag of(LogRead log, GroupDescription group) {
        long frontier = log.nextSequence();
        List<KeyRange> keys = new ArrayList<>();
        List<Long> from = new ArrayList<>();
        for (GroupDescription.Range r : group.ranges()) {
            keys.add(r.keys());
            from.add(r.position());
        }
        long[] counts = log.countRanges(keys, from, frontier);
        Map<Integer, Long> perRange = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            perRange.put(group.ranges().get(i).id(), counts[i]);
        }
        return new GroupLag(frontier, perRange);
    }

    /** Entries not yet consumed, over every range. */
    public long total() {
        long sum = 0;
        for (long lag : perRange.values()) {
            sum += lag;
        }
        return sum;
    }
}
