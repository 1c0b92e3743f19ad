package io.lsmlog.flink.source.enumerator;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Reader → enumerator: this reader emitted the source's record limit, so the query has every row it
 * needs; the enumerator tells all readers to stop ({@link StopReadingEvent}).
 */
public record LimitReachedEvent() implements SourceEvent {}
