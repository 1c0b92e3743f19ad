package io.lsmlog.flink.source.enumerator;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Reader → enumerator, sent from a reader's checkpoint when the source commits to a reader group:
 * how far each of its tailing splits had read at {@code checkpointId} (split id → next sequence),
 * and the splits it had finished. Sealed splits being read count from their start.
 */
public record CheckpointPositionsEvent(
        long session, long checkpointId, Map<String, Long> tailing, List<String> finished)
        implements SourceEvent {}
