package io.lsmlog.flink.sink;

import io.lsmlog.StageId;
import io.lsmlog.Staged;

/**
 * What an exactly-once writer hands to the committer for one checkpoint: which stage and how many
 * records it holds. Committing appends them with the marker of {@link StageId#markerId()} set to
 * {@code (checkpointId, records committed)}, so a replay is recognised and skipped.
 */
public record LsmLogCommittable(
        String sinkId, int subtask, long checkpointId, long records, long bytes) {

    Staged staged() {
        return new Staged(new StageId(sinkId, subtask, checkpointId), records, bytes);
    }
}
