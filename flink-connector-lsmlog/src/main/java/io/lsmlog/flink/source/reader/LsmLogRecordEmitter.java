package io.lsmlog.flink.source.reader;

import io.lsmlog.LogEntry;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.split.LsmLogSplitState;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;

/**
 * Emits an entry's elements with the entry's timestamp, then advances the split's position. Once
 * the record limit is reached, entries are no longer decoded and the reader ends its input.
 */
final class LsmLogRecordEmitter<T> implements RecordEmitter<LogEntry, T, LsmLogSplitState> {
    private final LsmLogDeserializer<T> deserializer;
    private final OutputCollector<T> collector = new OutputCollector<>();
    private final long limit; // records, not entries: an entry may decode to none or several

    LsmLogRecordEmitter(LsmLogDeserializer<T> deserializer, long limit) {
        this.deserializer = deserializer;
        this.limit = limit;
    }

    boolean limitReached() {
        return collector.emitted >= limit;
    }

    @Override
    public void emitRecord(LogEntry entry, SourceOutput<T> output, LsmLogSplitState state)
            throws Exception {
        if (limitReached()) {
            return;
        }
        collector.output = output;
        collector.timestamp = entry.timestamp();
        deserializer.deserialize(entry, state.segment(), collector);
        state.advance(entry);
    }

    private static final class OutputCollector<T> implements Collector<T> {
        SourceOutput<T> output;
        long timestamp;
        long emitted;

        @Override
        public void collect(T record) {
            emitted++;
            output.collect(record, timestamp);
        }

        @Override
        public void close() {}
    }
}
