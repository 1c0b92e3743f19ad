package io.lsmlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.Record;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention drops segments while a slow streaming job reads the log: the job keeps running, never
 * sees a key's entries out of order, skips what was dropped before it got there (the documented
 * policy), and still reads what is appended last.
 */
class RetentionWhileReadingITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    static String slow(String v) throws InterruptedException {
        Thread.sleep(1); // fall behind the writer and its retention
        return v;
    }

    @Test
    void segmentsDroppedBehindOrUnderTheReaderDoNotBreakIt() throws Exception {
        Path dir = tmp.resolve("log");
        LogConfig cfg =
                LogConfig.builder(dir)
                        .segmentRollBytes(4 << 10)
                        .retentionMaxAge(Duration.ofMillis(500))
                        .retentionCheckInterval(Duration.ofMillis(100))
                        .build();
        try (Log log = Log.open(cfg)) {
            log.append(List.of(Record.of("k0", "k0:0")));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            LsmLogSource<String> source =
                    LsmLogSource.<String>builder()
                            .setLogConfig(
                                    LogConfig.builder(dir)
                                            .readerRefreshInterval(Duration.ofMillis(20))
                                            .build())
                            .setStartingPosition(LsmLogPosition.earliest())
                            .setDiscoveryInterval(Duration.ofMillis(50))
                            .setDeserializer(LsmLogDeserializer.valueAsString())
                            .build();
            try (CloseableIterator<String> out =
                    env.fromSource(source, WatermarkStrategy.noWatermarks(), "behind")
                            .map(RetentionWhileReadingITCase::slow)
                            .executeAndCollect("retention while reading")) {
                int[] next = new int[10];
                next[0] = 1;
                for (int round = 0; round < 40; round++) {
                    for (int i = 0; i < 100; i++) {
                        int k = i % 10;
                        log.append(List.of(Record.of("k" + k, "k" + k + ":" + next[k]++)));
                    }
                    Thread.sleep(50);
                }
                log.append(List.of(Record.of("end", "end:0")));
                int dropped = 0;
                Map<String, Integer> last = new HashMap<>();
                long received = 0;
                while (true) {
                    String v = out.next();
                    received++;
                    if (v.equals("end:0")) {
                        break;
                    }
                    String[] f = v.split(":");
                    int i = Integer.parseInt(f[1]);
                    Integer prev = last.put(f[0], i);
                    assertThat(prev == null || i > prev)
                            .as("order of %s: %d after %s", f[0], i, prev)
                            .isTrue();
                    if (prev != null && i > prev + 1) {
                        dropped += i - prev - 1;
                    }
                }
                assertThat(log.segments().get(0).startSequence())
                        .as("retention really dropped segments while the job ran")
                        .isPositive();
                System.out.printf(
                        "received %d entries; %d skipped because retention dropped them first%n",
                        received, dropped);
            }
        }
    }
}
