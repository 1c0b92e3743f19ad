package io.lsmlog;

/**
 * One of a reader group's key ranges and its committed position: every entry of the range with a
 * sequence below {@code position} has been consumed; the range's next entry is the first at or
 * above it. Ranges are read in global sequence order, so each key's entries come in order.
 */
public record GroupRange(int id, KeyRange keys, long position) {}
