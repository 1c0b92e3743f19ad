package io.lsmlog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reader group's exact lag: per range, the entries of its keys between its committed position and
 * the log's frontier, counted from the key index (no value is read). Kafka's lag is an offset
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
        Map<Integer, Long> perRange = new LinkedHashMap<>();
        for (GroupDescription.Range r : group.ranges()) {
            perRange.put(
                    r.id(),
                    r.position() >= frontier
                            ? 0L
                            : log.count(r.keys(), SeqRange.between(r.position(), frontier)));
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
