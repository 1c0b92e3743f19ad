package io.lsmlog.flink.source.enumerator;

import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Reader → enumerator: these splits were read to their end. {@code session} identifies one run of a
 * reader (random per start); the first event of a run has {@code hello} set, and the enumerator
 * ignores events of any other session of that subtask.
 */
public record SplitsFinishedEvent(long session, boolean hello, List<String> splitIds)
        implements SourceEvent {}
