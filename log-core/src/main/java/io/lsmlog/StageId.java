package io.lsmlog;

/**
 * Names one stage of an exactly-once writer: the records a sink's subtask wrote for one checkpoint.
 * A subtask's stages are committed in checkpoint order.
 */
public record StageId(String sinkId, int subtask, long checkpointId) {
    public StageId {
        if (sinkId == null || sinkId.isEmpty()) {
            throw new InvalidArgumentException("a stage needs a sink id");
        }
        if (subtask < 0 || checkpointId < 0) {
            throw new InvalidArgumentException(
                    "a stage's subtask and checkpoint are >= 0, got "
                            + subtask
                            + " and "
                            + checkpointId);
        }
    }

    /**
     * The marker that records how far this sink subtask's commits got: {@code (checkpoint, records
     * committed of it)}. The name is the one the Flink sink has always used, so logs written before
     * staging moved into log-core commit on.
     */
    public String markerId() {
        return "flink-sink/" + sinkId + "/" + subtask;
    }
}
