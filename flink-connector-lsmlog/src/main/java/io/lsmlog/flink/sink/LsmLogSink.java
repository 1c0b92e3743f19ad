package io.lsmlog.flink.sink;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Flink sink appending to an lsmlog log. Build with {@link #builder()}:
 *
 * <pre>{@code
 * stream.sinkTo(LsmLogSink.<Order>builder()
 *         .setPath("data/orders")
 *         .setSerializer(LsmLogRecordSerializer.ofStrings(Order::customer, Order::toJson))
 *         .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
 *         .setSinkId("orders-enricher")
 *         .build());
 * }</pre>
 */
public final class LsmLogSink<T>
        implements Sink<T>,
                SupportsWriterState<T, LsmLogWriterState>,
                SupportsCommitter<LsmLogCommittable> {
    private final LsmLogSinkConfig config;
    private final LsmLogRecordSerializer<T> serializer;

    LsmLogSink(LsmLogSinkConfig config, LsmLogRecordSerializer<T> serializer) {
        this.config = config;
        this.serializer = serializer;
    }

    public static <T> LsmLogSinkBuilder<T> builder() {
        return new LsmLogSinkBuilder<>();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new LsmLogWriter<>(config, serializer, context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, LsmLogWriterState> restoreWriter(
            WriterInitContext context, Collection<LsmLogWriterState> recoveredState)
            throws IOException {
        return new LsmLogWriter<>(config, serializer, context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<LsmLogWriterState> getWriterStateSerializer() {
        return new LsmLogWriterStateSerializer();
    }

    @Override
    public Committer<LsmLogCommittable> createCommitter(CommitterInitContext context) {
        return new LsmLogCommitter(config);
    }

    @Override
    public SimpleVersionedSerializer<LsmLogCommittable> getCommittableSerializer() {
        return new LsmLogCommittableSerializer();
    }
}
