package io.lsmlog;

/**
 * A segment: a contiguous part of the sequence space starting at {@code startSequence}, opened at
 * {@code startTime} (epoch ms). It ends where the next segment starts; all but the newest are
 * sealed (immutable).
 */
public record Segment(int id, long startSequence, long startTime) {

    /**
     * The index of the segment a sequence falls in among {@code segments} (oldest first, as {@link
     * LogRead#segments()} gives them): the last one starting at or below it; -1 if it is before the
     * first. Binary search.
     */
    public static int indexAt(java.util.List<Segment> segments, long sequence) {
        int lo = 0;
        int hi = segments.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (segments.get(mid).startSequence() <= sequence) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
