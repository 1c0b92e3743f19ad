package io.lsmlog.flink.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.LogEntry;
import io.lsmlog.flink.MiniClusters;
import io.lsmlog.flink.TestLogs;
import io.lsmlog.flink.sink.LsmLogRecordSerializer;
import io.lsmlog.flink.sink.LsmLogSink;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java examples of docs/datastream.md and the README's Flink example, run as they are written
 * (paths relative to this module, removed around each test), and a check that every {@code java}
 * block of those pages appears in this file.
 */
class DocsExamplesITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 2);

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DATA = Path.of("data");

    /** The element type of the examples. */
    public record Order(String customer, int amount) {
        public String toJson() {
            return "{\"customer\":\"" + customer + "\",\"amount\":" + amount + "}";
        }
    }

    @BeforeEach
    @AfterEach
    void clean() throws IOException {
        if (Files.exists(DATA)) {
            try (Stream<Path> s = Files.walk(DATA)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static List<Order> input() {
        List<Order> input = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            input.add(new Order("customer-" + (i % 10), i));
        }
        return input;
    }

    @Test
    void datastreamGuide() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(200);
        DataStream<Order> stream = env.fromData(input());
        // --- docs/datastream.md: Sink
        stream.sinkTo(
                LsmLogSink.<Order>builder()
                        .setPath("data/orders") // or setLogConfig(LogConfig)
                        .setSerializer(
                                LsmLogRecordSerializer.ofStrings(Order::customer, Order::toJson))
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setSinkId("orders-enricher") // required for EXACTLY_ONCE
                        .build());
        // ---
        env.execute("docs sink");
        List<LogEntry> written = TestLogs.all(Path.of("data/orders"));
        assertThat(written).hasSize(100);

        List<String> got = readBack();
        assertThat(got).hasSize(100).contains("{\"customer\":\"customer-3\",\"amount\":3}");
        // The source keeps each key's order as it is in the log.
        assertThat(got.stream().filter(s -> s.contains("customer-3")).toList())
                .containsExactlyElementsOf(TestLogs.valuesByKey(written).get("customer-3"));
    }

    private static List<String> readBack() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // --- docs/datastream.md: Source
        LsmLogSource<String> source =
                LsmLogSource.<String>builder()
                        .setPath("data/orders")
                        .setKeyPrefix(
                                "customer-") // allKeys() | setKeyRange(KeyRange) | setKeys(List)
                        .setStartingPosition(
                                LsmLogPosition
                                        .earliest()) // latest() | sequence(n) | timestamp(ms) |
                        // group(name, fallback)
                        .setBounded(
                                LsmLogPosition
                                        .latest()) // omit (or setUnbounded()) to follow the log
                        .setDeserializer(LsmLogDeserializer.valueAsString())
                        .build();
        DataStream<String> orders =
                env.fromSource(source, WatermarkStrategy.forMonotonousTimestamps(), "orders");
        // ---
        List<String> got = new ArrayList<>();
        try (CloseableIterator<String> it = orders.executeAndCollect()) {
            it.forEachRemaining(got::add);
        }
        return got;
    }

    @Test
    void readme() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(200);
        DataStream<Order> orders = env.fromData(input());
        // --- README.md
        // DataStream: write orders exactly-once, read one customer's stream back
        // (docs/datastream.md)
        orders.sinkTo(
                LsmLogSink.<Order>builder()
                        .setPath("data/orders")
                        .setSerializer(
                                LsmLogRecordSerializer.ofStrings(Order::customer, Order::toJson))
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setSinkId("orders")
                        .build());
        DataStream<String> customer7 =
                env.fromSource(
                        LsmLogSource.<String>builder()
                                .setPath("data/orders")
                                .setKeys(List.of("customer-7"))
                                .setBounded(LsmLogPosition.latest())
                                .setDeserializer(LsmLogDeserializer.valueAsString())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "orders");
        // ---
        env.execute("readme sink");
        assertThat(TestLogs.all(Path.of("data/orders"))).hasSize(100);
        List<String> got = new ArrayList<>();
        try (CloseableIterator<String> it = customer7.executeAndCollect()) {
            it.forEachRemaining(got::add);
        }
        // customer-7's ten orders, in the order they are in the log.
        assertThat(got)
                .hasSize(10)
                .containsExactlyElementsOf(
                        TestLogs.valuesByKey(TestLogs.all(Path.of("data/orders")))
                                .get("customer-7"))
                .contains("{\"customer\":\"customer-7\",\"amount\":17}");
    }

    private static final Pattern JAVA_BLOCK =
            Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);

    @Test
    void everyJavaBlockOfThesePagesIsInThisFile() throws IOException {
        String here =
                noSpace(
                        Files.readString(
                                Path.of(
                                        "src/test/java/io/lsmlog/flink/docs/DocsExamplesITCase.java")));
        int blocks = 0;
        for (String page : List.of("README.md", "docs/datastream.md")) {
            Matcher m = JAVA_BLOCK.matcher(Files.readString(ROOT.resolve(page)));
            while (m.find()) {
                if (page.equals("README.md") && !m.group(1).contains("LsmLogSink")) {
                    continue; // the README's log-core example runs in log-core's DocsExamplesTest
                }
                blocks++;
                assertThat(here.contains(noSpace(m.group(1))))
                        .as("this file holds the java block of %s:%n%s", page, m.group(1))
                        .isTrue();
            }
        }
        assertThat(blocks).isEqualTo(3);
    }

    /** Without whitespace and comment markers: formatting may re-wrap code and comments. */
    private static String noSpace(String s) {
        return s.replaceAll("\\s+", "").replace("//", "");
    }
}
