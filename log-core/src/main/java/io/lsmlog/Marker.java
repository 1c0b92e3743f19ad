package io.lsmlog;

/**
 * A named progress mark written atomically with an append, for idempotent producers: a producer
 * that appends a batch together with {@code (epoch, position)} can tell after a crash exactly how
 * far it got (e.g. the Flink sink: epoch = checkpoint id, position = records committed).
 */
public record Marker(long epoch, long position) {}
