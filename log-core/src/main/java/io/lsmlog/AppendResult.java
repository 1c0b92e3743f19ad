package io.lsmlog;

/**
 * What an append was assigned: records got the consecutive sequences {@code firstSequence ..
 * lastSequence} in the order given, all in segment {@code segmentId}, appended at {@code
 * appendTime} (epoch ms).
 */
public record AppendResult(long firstSequence, long lastSequence, int segmentId, long appendTime) {
    public int count() {
        return (int) (lastSequence - firstSequence + 1);
    }
}
