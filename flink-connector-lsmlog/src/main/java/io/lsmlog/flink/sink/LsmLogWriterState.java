package io.lsmlog.flink.sink;

/**
 * A writer's checkpointed state: which sink and subtask it staged files for. After a rescale, the
 * writer that receives the state of a subtask that no longer exists removes that subtask's stale
 * staged files.
 */
public record LsmLogWriterState(String sinkId, int subtask) {}
