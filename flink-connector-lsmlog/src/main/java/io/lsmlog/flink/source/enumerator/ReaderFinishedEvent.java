package io.lsmlog.flink.source.enumerator;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Reader → enumerator: this reader ended its input. Its task finishes after the next checkpoint,
 * and an event sent to a finished task fails the job; so the enumerator sends it nothing more
 * (until a new attempt of that subtask registers).
 */
public record ReaderFinishedEvent() implements SourceEvent {}
