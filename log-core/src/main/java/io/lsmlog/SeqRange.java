package io.lsmlog;

/**
 * A range of sequences, start inclusive, end exclusive. A scan of a range that starts below the
 * first sequence retention kept reads from there; with {@link #failIfDropped()} it throws {@link
 * SequenceDroppedException} instead, so a reader that must not miss entries learns that it did.
 */
public record SeqRange(long from, long to, boolean failsIfDropped) {
    public SeqRange(long from, long to) {
        this(from, to, false);
    }

    public SeqRange {
        if (from < 0) {
            throw new InvalidArgumentException("sequence range start must be >= 0, got " + from);
        }
        if (to < from) {
            throw new InvalidArgumentException(
                    "sequence range end (" + to + ") must be >= start (" + from + ")");
        }
    }

    public static SeqRange all() {
        return new SeqRange(0, Long.MAX_VALUE);
    }

    public static SeqRange from(long from) {
        return new SeqRange(from, Long.MAX_VALUE);
    }

    public static SeqRange between(long from, long to) {
        return new SeqRange(from, to);
    }

    public boolean contains(long seq) {
        return seq >= from && seq < to;
    }

    public boolean isEmpty() {
        return from >= to;
    }

    /** This range, asking scans to throw {@link SequenceDroppedException} if its start is gone. */
    public SeqRange failIfDropped() {
        return new SeqRange(from, to, true);
    }

    /** This range cut to end no later than {@code end}. */
    public SeqRange upTo(long end) {
        return end >= to ? this : new SeqRange(from, Math.max(from, end), failsIfDropped);
    }
}
