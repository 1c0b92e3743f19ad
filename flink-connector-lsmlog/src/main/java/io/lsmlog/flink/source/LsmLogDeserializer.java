package io.lsmlog.flink.source;

import io.lsmlog.LogEntry;
import io.lsmlog.LogRead;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;

/** Turns a log entry into zero or more stream elements. */
public interface LsmLogDeserializer<T> extends Serializable, ResultTypeQueryable<T> {

    /** Called once per reader before the first entry. */
    default void open(DeserializationSchema.InitializationContext context) throws Exception {}

    /**
     * Called once per reader before the first entry, with the log the reader reads: for a
     * deserializer that looks entries up (an upsert table's previous values). By default {@link
     * #open(DeserializationSchema.InitializationContext)}.
     */
    default void open(DeserializationSchema.InitializationContext context, LogRead log)
            throws Exception {
        open(context);
    }

    void deserialize(LogEntry entry, Collector<T> out) throws IOException;

    /** Like {@link #deserialize(LogEntry, Collector)}, told the id of the entry's segment. */
    default void deserialize(LogEntry entry, int segment, Collector<T> out) throws IOException {
        deserialize(entry, out);
    }

    /** The entries themselves (key, sequence, timestamp, value), as a generic type. */
    static LsmLogDeserializer<LogEntry> entries() {
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

    /** The value as a UTF-8 string. */
    static LsmLogDeserializer<String> valueAsString() {
        return new LsmLogDeserializer<>() {
            @Override
            public void deserialize(LogEntry entry, Collector<String> out) {
                out.collect(new String(entry.value(), StandardCharsets.UTF_8));
            }

            @Override
            public TypeInformation<String> getProducedType() {
                return Types.STRING;
            }
        };
    }

    /** The value's bytes. */
    static LsmLogDeserializer<byte[]> valueAsBytes() {
        return new LsmLogDeserializer<>() {
            @Override
            public void deserialize(LogEntry entry, Collector<byte[]> out) {
                out.collect(entry.value());
            }

            @Override
            public TypeInformation<byte[]> getProducedType() {
                return org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo
                        .BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
            }
        };
    }

    /** The value through a Flink {@link DeserializationSchema} (json, avro, csv, ...). */
    static <T> LsmLogDeserializer<T> valueOnly(DeserializationSchema<T> schema) {
        return new LsmLogDeserializer<>() {
            @Override
            public void open(DeserializationSchema.InitializationContext context) throws Exception {
                schema.open(context);
            }

            @Override
            public void deserialize(LogEntry entry, Collector<T> out) throws IOException {
                schema.deserialize(entry.value(), out);
            }

            @Override
            public TypeInformation<T> getProducedType() {
                return schema.getProducedType();
            }
        };
    }
}
