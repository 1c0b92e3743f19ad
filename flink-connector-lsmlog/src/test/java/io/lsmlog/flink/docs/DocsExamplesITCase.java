package io.lsmlog.flink.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.flink.MiniClusters;
import io.lsmlog.flink.TestLogs;
import io.lsmlog.flink.sink.LsmLogRecordSerializer;
import io.lsmlog.flink.sink.LsmLogSink;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/datastream.md, compiled and run. Keep the two in step. */
class DocsExamplesITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 2);

    @TempDir Path tmp;

    /** The element type of the examples. */
    public record Order(String customer, int amount) {
        public String toJson() {
            return "{\"customer\":\"" + customer + "\",\"amount\":" + amount + "}";
        }
    }

    @Test
    void sinkThenSourceExamples() throws Exception {
        String path = tmp.resolve("orders").toString();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(200);
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            orders.add(new Order("customer-" + (i % 5), i));
        }
        DataStream<Order> stream = env.fromData(orders);
        // --- docs/datastream.md: Sink
        stream.sinkTo(
                LsmLogSink.<Order>builder()
                        .setPath(path)
                        .setSerializer(
                                LsmLogRecordSerializer.ofStrings(Order::customer, Order::toJson))
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setSinkId("orders-enricher")
                        .build());
        // ---
        env.execute("docs sink");
        assertThat(TestLogs.all(tmp.resolve("orders"))).hasSize(100);

        StreamExecutionEnvironment env2 = StreamExecutionEnvironment.getExecutionEnvironment();
        // --- docs/datastream.md: Source
        LsmLogSource<String> source =
                LsmLogSource.<String>builder()
                        .setPath(path)
                        .setKeyPrefix("customer-")
                        .setStartingPosition(LsmLogPosition.earliest())
                        .setBounded(LsmLogPosition.latest())
                        .setDeserializer(LsmLogDeserializer.valueAsString())
                        .build();
        DataStream<String> read =
                env2.fromSource(source, WatermarkStrategy.forMonotonousTimestamps(), "orders");
        // ---
        List<String> got = new ArrayList<>();
        try (CloseableIterator<String> it = read.executeAndCollect()) {
            it.forEachRemaining(got::add);
        }
        assertThat(got).hasSize(100).contains("{\"customer\":\"customer-3\",\"amount\":3}");
        List<String> customer3 = got.stream().filter(s -> s.contains("customer-3")).toList();
        // The source keeps each key's order as it is in the log.
        assertThat(customer3)
                .containsExactlyElementsOf(
                        TestLogs.valuesByKey(TestLogs.all(tmp.resolve("orders")))
                                .get("customer-3"));
    }
}
