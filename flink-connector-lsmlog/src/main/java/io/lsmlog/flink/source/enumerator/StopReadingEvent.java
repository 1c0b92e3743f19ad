package io.lsmlog.flink.source.enumerator;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Enumerator → reader: end your input now. Sent to every reader once one reached the record limit;
 * otherwise readers with unfinished splits would keep later segments' splits gated forever.
 */
public record StopReadingEvent() implements SourceEvent {}
