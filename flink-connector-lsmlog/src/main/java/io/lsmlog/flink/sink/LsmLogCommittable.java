package io.lsmlog.flink.sink;

/**
 * What an exactly-once writer hands to the committer for one checkpoint: the staged file and how
 * many records it holds. Committing appends them with the marker {@code sinkId/subtask} set to
 * {@code (checkpointId, records committed)}, so a replay is recognised and skipped.
 */
public record LsmLogCommittable(
        String sinkId, int subtask, long checkpointId, String fileName, long records, long bytes) {

    String markerId() {
        return markerId(sinkId, subtask);
    }

    static String markerId(String sinkId, int subtask) {
        return "flink-sink/" + sinkId + "/" + subtask;
    }
}
