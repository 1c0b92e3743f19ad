package io.lsmlog.read;

import io.lsmlog.Segment;
import io.lsmlog.SeqRange;
import java.util.List;

/**
 * What a read sees: the frontier and the live segments that start below it. Entries are immutable
 * once written, so reading the frontier first and filtering by it gives every read a consistent
 * state without RocksDB snapshots (which secondary instances do not support).
 */
public record View(long nextSequence, List<Segment> segments) {
    public View {
        int n = segments.size();
        while (n > 0 && segments.get(n - 1).startSequence() >= nextSequence) {
            n--;
        }
        segments = List.copyOf(segments.subList(0, n));
    }

    public static final View EMPTY = new View(0, List.of());

    /** Where segment {@code index} ends: the next one's start, or the frontier. */
    public long end(int index) {
        return index + 1 < segments.size() ? segments.get(index + 1).startSequence() : nextSequence;
    }

    /** Index of the segment with this id, or -1 when it is not live in this view. */
    public int indexOf(int segmentId) {
        if (segments.isEmpty()) {
            return -1;
        }
        long i = (long) segmentId - segments.get(0).id();
        return i >= 0 && i < segments.size() && segments.get((int) i).id() == segmentId
                ? (int) i
                : -1;
    }

    public boolean overlaps(int index, SeqRange range) {
        return segments.get(index).startSequence() < range.to() && end(index) > range.from();
    }

    /** True when the whole segment lies inside the range (and below the frontier). */
    public boolean within(int index, SeqRange range) {
        return segments.get(index).startSequence() >= range.from() && end(index) <= range.to();
    }
}
