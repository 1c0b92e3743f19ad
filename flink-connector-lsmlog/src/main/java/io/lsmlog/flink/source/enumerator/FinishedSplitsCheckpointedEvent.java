package io.lsmlog.flink.source.enumerator;

import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Enumerator → readers: a completed checkpoint records these splits as finished, so readers can
 * stop carrying them in their own state (they carry them until then, so that no restore can lose a
 * "finished" report and block later segments forever).
 */
public record FinishedSplitsCheckpointedEvent(List<String> splitIds) implements SourceEvent {}
