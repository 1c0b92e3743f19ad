package io.lsmlog.flink.source.split;

import io.lsmlog.LogEntry;

/** A split's mutable read position, advanced by the record emitter after each entry. */
public final class LsmLogSplitState {
    private final LsmLogSplit split;
    private long nextSequence;
    private byte[] lastKey;
    private long lastKeySequence;

    public LsmLogSplitState(LsmLogSplit split) {
        this.split = split;
        this.nextSequence = split.nextSequence();
        this.lastKey = split.lastKey();
        this.lastKeySequence = split.lastKeySequence();
    }

    public void advance(LogEntry e) {
        nextSequence = Math.max(nextSequence, e.sequence() + 1);
        lastKey = e.key();
        lastKeySequence = e.sequence();
    }

    public int segment() {
        return split.segment();
    }

    public LsmLogSplit toSplit() {
        return split.withPosition(nextSequence, lastKey, lastKeySequence);
    }
}
