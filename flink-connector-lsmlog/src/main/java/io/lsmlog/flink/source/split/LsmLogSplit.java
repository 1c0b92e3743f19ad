package io.lsmlog.flink.source.split;

import io.lsmlog.KeyRange;
import io.lsmlog.Printable;
import java.util.Arrays;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A split: the entries of one segment with keys in {@code [keyStart, keyEnd)} and sequences in
 * {@code [from, to)} ({@code to = Long.MAX_VALUE}: up to the segment's end, which is not known yet
 * — the newest segment, read while it grows).
 *
 * <p>A <b>sealed</b> split (its entries are all written) is read in key order; its position is the
 * last key and sequence emitted. A <b>tailing</b> split is read in sequence order as the log grows;
 * its position is the next sequence. Immutable: the reader's progress lives in {@link
 * LsmLogSplitState}.
 */
public final class LsmLogSplit implements SourceSplit {
    private final String id;
    private final int segment;
    private final int lane;
    @Nullable private final byte[] keyStart;
    @Nullable private final byte[] keyEnd;
    private final long from;
    private final long to;
    private final boolean tailing;
    // position
    private final long nextSequence;
    @Nullable private final byte[] lastKey;
    private final long lastKeySequence;
    private final boolean finished;

    public LsmLogSplit(
            String id,
            int segment,
            int lane,
            @Nullable byte[] keyStart,
            @Nullable byte[] keyEnd,
            long from,
            long to,
            boolean tailing,
            long nextSequence,
            @Nullable byte[] lastKey,
            long lastKeySequence,
            boolean finished) {
        this.id = id;
        this.segment = segment;
        this.lane = lane;
        this.keyStart = keyStart;
        this.keyEnd = keyEnd;
        this.from = from;
        this.to = to;
        this.tailing = tailing;
        this.nextSequence = nextSequence;
        this.lastKey = lastKey;
        this.lastKeySequence = lastKeySequence;
        this.finished = finished;
    }

    /** A split that has not been read yet. */
    public static LsmLogSplit fresh(
            String id, int segment, int lane, KeyRange keys, long from, long to, boolean tailing) {
        return new LsmLogSplit(
                id,
                segment,
                lane,
                keys.start(),
                keys.end(),
                from,
                to,
                tailing,
                from,
                null,
                -1,
                false);
    }

    @Override
    public String splitId() {
        return id;
    }

    public int segment() {
        return segment;
    }

    /**
     * The key lane: a key range fixed for the whole job. All splits of a lane go to the same
     * reader, so each key's entries leave the source in order through one channel.
     */
    public int lane() {
        return lane;
    }

    public KeyRange keys() {
        return new KeyRange(keyStart, keyEnd);
    }

    @Nullable
    public byte[] keyStart() {
        return keyStart;
    }

    @Nullable
    public byte[] keyEnd() {
        return keyEnd;
    }

    public long from() {
        return from;
    }

    public long to() {
        return to;
    }

    public boolean tailing() {
        return tailing;
    }

    public long nextSequence() {
        return nextSequence;
    }

    @Nullable
    public byte[] lastKey() {
        return lastKey;
    }

    public long lastKeySequence() {
        return lastKeySequence;
    }

    /** True for a split the reader finished but the enumerator has not yet checkpointed as such. */
    public boolean finished() {
        return finished;
    }

    public LsmLogSplit withPosition(
            long nextSequence, @Nullable byte[] lastKey, long lastKeySequence) {
        return new LsmLogSplit(
                id,
                segment,
                lane,
                keyStart,
                keyEnd,
                from,
                to,
                tailing,
                nextSequence,
                lastKey,
                lastKeySequence,
                finished);
    }

    public LsmLogSplit asFinished() {
        return new LsmLogSplit(
                id,
                segment,
                lane,
                keyStart,
                keyEnd,
                from,
                to,
                tailing,
                nextSequence,
                lastKey,
                lastKeySequence,
                true);
    }

    /** True if the key ranges of the two splits share a key. */
    public boolean overlaps(LsmLogSplit other) {
        boolean thisEndsBefore =
                keyEnd != null
                        && other.keyStart != null
                        && Arrays.compareUnsigned(keyEnd, other.keyStart) <= 0;
        boolean otherEndsBefore =
                other.keyEnd != null
                        && keyStart != null
                        && Arrays.compareUnsigned(other.keyEnd, keyStart) <= 0;
        return !thisEndsBefore && !otherEndsBefore;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LsmLogSplit s
                && id.equals(s.id)
                && segment == s.segment
                && lane == s.lane
                && Arrays.equals(keyStart, s.keyStart)
                && Arrays.equals(keyEnd, s.keyEnd)
                && from == s.from
                && to == s.to
                && tailing == s.tailing
                && nextSequence == s.nextSequence
                && Arrays.equals(lastKey, s.lastKey)
                && lastKeySequence == s.lastKeySequence
                && finished == s.finished;
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "LsmLogSplit["
                + id
                + ", segment "
                + segment
                + ", keys "
                + keys()
                + ", sequences ["
                + from
                + ", "
                + (to == Long.MAX_VALUE ? "open" : to)
                + ")"
                + (tailing ? ", tailing from " + nextSequence : "")
                + (lastKey != null
                        ? ", after " + Printable.bytes(lastKey) + "@" + lastKeySequence
                        : "")
                + (finished ? ", finished" : "")
                + "]";
    }
}
