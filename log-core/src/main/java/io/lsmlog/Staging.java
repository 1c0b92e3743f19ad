package io.lsmlog;

import java.util.List;
import java.util.Set;

/**
 * Exactly-once staging (the two-phase commit of a sink): a writer stages each checkpoint's records
 * under a {@link StageId}, seals the stage when the checkpoint is taken, and the stage is committed
 * when the checkpoint completes. A commit appends the staged records in chunks, each atomically
 * with the subtask's marker {@code (checkpoint, records committed)}: a replayed commit resumes
 * after the last chunk or does nothing, so a stage is never appended twice. Staged data is never
 * dropped by a timeout: only {@link #abortStale} (a restored job) and {@link #abort} (an operator)
 * remove it. Stages live next to the log (in the log's {@code staging/} directory), embedded or on
 * the server.
 */
public interface Staging {
    /** Starts a stage; an earlier unsealed attempt with the same id is replaced. */
    StageWriter open(StageId id);

    /**
     * Appends a sealed stage, idempotently. Returns true if it had been committed before (nothing
     * was appended now).
     *
     * @throws LogStorageException if the stage is missing and was never committed (its records are
     *     lost: the error says so)
     */
    boolean commit(Staged staged);

    /**
     * For a job restored from checkpoint {@code restoredCheckpointId}: removes the stages of the
     * sink's given subtasks that belong to a later checkpoint (that attempt failed and will never
     * commit) or that were committed already. Returns how many it removed.
     */
    int abortStale(String sinkId, Set<Integer> subtasks, long restoredCheckpointId);

    /** The stages on disk, sealed or not, oldest checkpoint first. */
    List<Staged> list();

    /** Removes one stage whatever its state; returns false if there was none. */
    boolean abort(StageId id);
}
