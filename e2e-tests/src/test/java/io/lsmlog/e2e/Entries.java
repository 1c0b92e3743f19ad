package io.lsmlog.e2e;

import io.lsmlog.LogEntry;
import io.lsmlog.flink.source.LsmLogDeserializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/** A deserializer emitting the entries themselves. */
final class Entries {
    private Entries() {}

    static LsmLogDeserializer<LogEntry> deserializer() {
        return new LsmLogDeserializer<>() {
            @Override
            public void deserialize(LogEntry entry, Collector<LogEntry> out) {
                out.collect(entry);
            }

            @Override
            public TypeInformation<LogEntry> getProducedType() {
                return TypeInformation.of(LogEntry.class);
            }
        };
    }
}
