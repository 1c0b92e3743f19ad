package io.lsmlog.flink.source.enumerator;

import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;

/** Reader → enumerator: these splits were read to their end. */
public record SplitsFinishedEvent(List<String> splitIds) implements SourceEvent {}
