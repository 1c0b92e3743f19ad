package io.lsmlog.flink.sink;

/**
 * A writer's checkpointed state: which sink and subtask it staged for, and the subtask's epoch
 * base. A stage's epoch is the base plus the Flink checkpoint id; a job that starts fresh (not from
 * a checkpoint) takes as its base the epoch its subtask's marker last committed, so its checkpoints
 * 1, 2, ... are never mistaken for replays of an earlier job's. After a rescale, the writer that
 * receives the state of a subtask that no longer exists removes that subtask's stale stages.
 */
public record LsmLogWriterState(String sinkId, int subtask, long epochBase) {}
