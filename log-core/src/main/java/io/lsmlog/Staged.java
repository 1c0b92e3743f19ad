package io.lsmlog;

/**
 * A stage made durable by {@link StageWriter#seal()}: what a committer needs to append it, exactly
 * once, when its checkpoint completes.
 */
public record Staged(StageId id, long records, long bytes) {}
