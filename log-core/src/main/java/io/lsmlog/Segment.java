package io.lsmlog;

/**
 * A segment: a contiguous part of the sequence space starting at {@code startSequence}, opened at
 * {@code startTime} (epoch ms). It ends where the next segment starts; all but the newest are
 * sealed (immutable).
 */
public record Segment(int id, long startSequence, long startTime) {}
