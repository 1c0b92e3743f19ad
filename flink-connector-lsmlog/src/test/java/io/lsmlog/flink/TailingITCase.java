package io.lsmlog.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.Record;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unbounded source follows a log while it is appended to (rolling segments as it goes): every
 * entry arrives, each key in order; prints append→emit latency percentiles.
 */
class TailingITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 2);

    @TempDir Path tmp;

    /** Append→emit latencies, taken right after the source (the collect sink adds its own). */
    static final java.util.Queue<Long> LATENCIES =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    static LogEntry measure(LogEntry e) {
        String[] f = e.valueString().split(":");
        if (!f[1].equals("-1")) {
            LATENCIES.add(System.nanoTime() - Long.parseLong(f[2]));
        }
        return e;
    }

    @Test
    void entriesAppendedWhileTheJobRunsArriveInOrderPerKey() throws Exception {
        Path dir = tmp.resolve("log");
        int keys = 20;
        int total = 3_000;
        try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(16 << 10).build())) {
            LATENCIES.clear();
            // Something to plan lanes from before the job starts.
            List<Record> first = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                first.add(Record.of("k" + k, "k" + k + ":-1:0"));
            }
            log.append(first);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            LsmLogSource<LogEntry> source =
                    LsmLogSource.<LogEntry>builder()
                            .setLogConfig(
                                    LogConfig.builder(dir)
                                            .readerRefreshInterval(Duration.ofMillis(20))
                                            .build())
                            .setStartingPosition(
                                    LsmLogPosition.sequence(
                                            log.nextSequence())) // right after the first batch
                            .setDiscoveryInterval(Duration.ofMillis(50))
                            .setDeserializer(LsmLogDeserializer.entries())
                            .build();
            try (CloseableIterator<LogEntry> out =
                    env.fromSource(source, WatermarkStrategy.noWatermarks(), "tail")
                            .map(TailingITCase::measure)
                            .returns(LogEntry.class)
                            .executeAndCollect("tailing")) {
                Thread.sleep(1000); // only so the latencies below do not include the job's start-up
                Thread writer =
                        new Thread(
                                () -> {
                                    for (int i = 0; i < total; i++) {
                                        String key = "k" + (i % keys);
                                        log.append(
                                                List.of(
                                                        Record.of(
                                                                key,
                                                                key
                                                                        + ":"
                                                                        + (i / keys)
                                                                        + ":"
                                                                        + System.nanoTime())));
                                        if (i % 10 == 0) {
                                            try {
                                                Thread.sleep(1);
                                            } catch (InterruptedException e) {
                                                return;
                                            }
                                        }
                                    }
                                });
                writer.start();
                Map<String, Integer> nextPerKey = new HashMap<>();
                for (int n = 0; n < total; n++) {
                    LogEntry e = out.next();
                    String[] f = e.valueString().split(":");
                    int expected = nextPerKey.getOrDefault(f[0], 0);
                    assertThat(Integer.parseInt(f[1])).as("order of %s", f[0]).isEqualTo(expected);
                    nextPerKey.put(f[0], expected + 1);
                }
                writer.join();
                assertThat(nextPerKey)
                        .hasSize(keys)
                        .allSatisfy((k, v) -> assertThat(v).isEqualTo(total / keys));
                assertThat(log.segments().size())
                        .as("segments rolled while tailing")
                        .isGreaterThan(3);
                long[] latency = LATENCIES.stream().mapToLong(Long::longValue).toArray();
                Arrays.sort(latency);
                int total2 = latency.length;
                System.out.printf(
                        "append->emit latency over %d entries: median %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        total,
                        latency[total / 2] / 1e6,
                        latency[total * 99 / 100] / 1e6,
                        latency[total - 1] / 1e6);
            }
        }
    }
}
