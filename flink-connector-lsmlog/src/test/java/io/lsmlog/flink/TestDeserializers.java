package io.lsmlog.flink;

import io.lsmlog.LogEntry;
import io.lsmlog.flink.source.LsmLogDeserializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/** Deserializers for tests. */
public final class TestDeserializers {
    private TestDeserializers() {}

    /** The entry itself (as a generic type), so tests can check keys and sequences. */
    public static LsmLogDeserializer<LogEntry> entries() {
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
