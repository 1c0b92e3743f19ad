package io.lsmlog.flink.source.reader;

import io.lsmlog.LogEntry;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.split.LsmLogSplitState;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;

/** Emits an entry's elements with the entry's timestamp, then advances the split's position. */
final class LsmLogRecordEmitter<T> implements RecordEmitter<LogEntry, T, LsmLogSplitState> {
    private final LsmLogDeserializer<T> deserializer;
    private final OutputCollector<T> collector = new OutputCollector<>();

    LsmLogRecordEmitter(LsmLogDeserializer<T> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public void emitRecord(LogEntry entry, SourceOutput<T> output, LsmLogSplitState state)
            throws Exception {
        collector.output = output;
        collector.timestamp = entry.timestamp();
        deserializer.deserialize(entry, state.segment(), collector);
        state.advance(entry);
    }

    private static final class OutputCollector<T> implements Collector<T> {
        SourceOutput<T> output;
        long timestamp;

        @Override
        public void collect(T record) {
            output.collect(record, timestamp);
        }

        @Override
        public void close() {}
    }
}
