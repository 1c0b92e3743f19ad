package io.lsmlog.flink.sink;

import io.lsmlog.Record;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Turns a stream element into a log {@link Record}: its key (stream), value and timestamp. */
@FunctionalInterface
public interface LsmLogRecordSerializer<T> extends Serializable {

    /** Called once per writer before the first element. */
    default void open(SerializationSchema.InitializationContext context) throws Exception {}

    /**
     * @param element the element to write
     * @param timestamp the element's Flink timestamp, or null if it has none
     * @return the record; give it a timestamp to override the append time
     */
    Record serialize(T element, @Nullable Long timestamp);

    /** Key and value from functions; the record carries no timestamp (append time is used). */
    static <T> LsmLogRecordSerializer<T> of(
            SerializableFunction<T, byte[]> key, SerializableFunction<T, byte[]> value) {
        return (element, ts) -> new Record(key.apply(element), value.apply(element));
    }

    /** UTF-8 key and value from functions. */
    static <T> LsmLogRecordSerializer<T> ofStrings(
            SerializableFunction<T, String> key, SerializableFunction<T, String> value) {
        return (element, ts) ->
                new Record(
                        key.apply(element).getBytes(StandardCharsets.UTF_8),
                        value.apply(element).getBytes(StandardCharsets.UTF_8));
    }

    /** Key from a function, value from a Flink {@link SerializationSchema} (json, avro, ...). */
    static <T> LsmLogRecordSerializer<T> withSchema(
            SerializableFunction<T, String> key, SerializationSchema<T> value) {
        return new LsmLogRecordSerializer<>() {
            @Override
            public void open(SerializationSchema.InitializationContext context) throws Exception {
                value.open(context);
            }

            @Override
            public Record serialize(T element, @Nullable Long timestamp) {
                return new Record(
                        key.apply(element).getBytes(StandardCharsets.UTF_8),
                        value.serialize(element));
            }
        };
    }

    /** A serializable function. */
    @FunctionalInterface
    interface SerializableFunction<A, B> extends Function<A, B>, Serializable {}
}
