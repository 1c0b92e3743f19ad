package io.lsmlog.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.LogEntry;
import io.lsmlog.Record;
import io.lsmlog.flink.sink.LsmLogSink;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Source → sink on a MiniCluster: per-key order across many small segments, parallelism 3. */
class RoundTripITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 4);

    @TempDir Path tmp;

    @ParameterizedTest
    @EnumSource(
            value = DeliveryGuarantee.class,
            names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void boundedCopyKeepsEveryKeysOrderAcrossSegments(DeliveryGuarantee guarantee)
            throws Exception {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        List<LogEntry> input = TestLogs.populate(src, 20_000, 50, 8 << 10);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(3);
        env.enableCheckpointing(200);
        LsmLogSource<LogEntry> source =
                LsmLogSource.<LogEntry>builder()
                        .setPath(src.toString())
                        .setBounded(LsmLogPosition.latest())
                        .setTargetSplitBytes(4 << 10)
                        .setDeserializer(LsmLogDeserializer.entries())
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "lsmlog")
                .sinkTo(
                        LsmLogSink.<LogEntry>builder()
                                .setPath(dst.toString())
                                .setDeliveryGuarantee(guarantee)
                                .setSinkId("copy")
                                .setSerializer((e, ts) -> new Record(e.key(), e.value()))
                                .setBatchMaxRecords(100)
                                .build());
        env.execute("copy");
        List<LogEntry> output = TestLogs.all(dst);
        assertThat(output).hasSize(input.size());
        assertThat(TestLogs.diff(TestLogs.valuesByKey(input), TestLogs.valuesByKey(output)))
                .isEmpty();
    }

    @Test
    void sourceSelectsKeysAndStartsAtASequence() throws Exception {
        Path src = tmp.resolve("src");
        List<LogEntry> input = TestLogs.populate(src, 5_000, 20, 4 << 10);
        long from = input.get(2_000).sequence();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        LsmLogSource<String> source =
                LsmLogSource.<String>builder()
                        .setPath(src.toString())
                        .setKeys(List.of("key-3", "key-11"))
                        .setStartingPosition(LsmLogPosition.sequence(from))
                        .setBounded(LsmLogPosition.sequence(input.get(4_000).sequence()))
                        .setDeserializer(LsmLogDeserializer.valueAsString())
                        .build();
        List<String> got = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "lsmlog")
                        .executeAndCollect()) {
            it.forEachRemaining(got::add);
        }
        List<String> expected =
                input.subList(2_000, 4_000).stream()
                        .filter(
                                e ->
                                        e.keyString().equals("key-3")
                                                || e.keyString().equals("key-11"))
                        .map(LogEntry::valueString)
                        .toList();
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(got.stream().filter(v -> v.startsWith("key-3:")).toList())
                .containsExactlyElementsOf(
                        expected.stream().filter(v -> v.startsWith("key-3:")).toList());
    }

    @Test
    void aRecordLimitEndsEveryReaderAcrossManySplits() throws Exception {
        Path src = tmp.resolve("limited");
        List<LogEntry> input = TestLogs.populate(src, 20_000, 50, 4 << 10);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(3);
        LsmLogSource<LogEntry> source =
                LsmLogSource.<LogEntry>builder()
                        .setPath(src.toString())
                        .setBounded(LsmLogPosition.latest())
                        .setTargetSplitBytes(4 << 10)
                        .setRecordLimit(100)
                        .setDeserializer(LsmLogDeserializer.entries())
                        .build();
        List<LogEntry> out = new ArrayList<>();
        try (CloseableIterator<LogEntry> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "lsmlog")
                        .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        // One reader reached 100 and every reader stopped: far fewer than the 20,000 entries.
        assertThat(out.size()).isBetween(100, 3 * 100);
        assertThat(input).containsAll(out);
    }

    /**
     * A rate-limited source reads everything, no faster than its limit (a lower bound on time only:
     * a slow machine makes it slower, never faster); checkpoints go on meanwhile.
     */
    @Test
    void aRateLimitedSourceReadsEverythingAtItsRate() throws Exception {
        Path src = tmp.resolve("limited");
        List<LogEntry> input = TestLogs.populate(src, 300, 10, 4 << 10);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(100);
        LsmLogSource<String> source =
                LsmLogSource.<String>builder()
                        .setPath(src.toString())
                        .setBounded(LsmLogPosition.latest())
                        .setRateLimit(200)
                        .setDeserializer(LsmLogDeserializer.valueAsString())
                        .build();
        long t0 = System.nanoTime();
        List<String> out =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "limited")
                        .executeAndCollect(1_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(out).hasSize(input.size());
        // 300 records at 200 per second: at least about a second and a half.
        assertThat(seconds).isGreaterThan(1.2);
        assertThatThrownBy(
                        () ->
                                LsmLogSource.<String>builder()
                                        .setPath(src.toString())
                                        .setRateLimit(-1)
                                        .setDeserializer(LsmLogDeserializer.valueAsString())
                                        .build())
                .hasMessageContaining("rateLimit");
    }
}
