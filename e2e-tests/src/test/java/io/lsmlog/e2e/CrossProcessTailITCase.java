package io.lsmlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.KeyRange;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.LogReader;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import io.lsmlog.flink.sink.LsmLogSink;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application JVM appends to a log with plain log-core while a Flink job on a MiniCluster in
 * this JVM follows it (LsmLogSource in reader mode) and copies it, exactly-once, into a second log:
 * once the writer stops, the second log equals the first, per key and in order.
 */
class CrossProcessTailITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    private static Map<String, List<String>> byKey(Path dir) {
        Map<String, List<String>> m = new TreeMap<>();
        try (LogReader r = LogReader.open(LogConfig.builder(dir).build());
                LogIterator it = r.scanBySequence(KeyRange.all(), SeqRange.all())) {
            while (it.hasNext()) {
                LogEntry e = it.next();
                m.computeIfAbsent(e.keyString(), k -> new ArrayList<>()).add(e.valueString());
            }
        }
        return m;
    }

    private static long count(Path dir) {
        try (LogReader r = LogReader.open(LogConfig.builder(dir).build())) {
            return r.nextSequence();
        } catch (RuntimeException e) {
            return 0; // not created yet
        }
    }

    @Test
    void aFlinkJobFollowsAnotherProcessesLogAndCopiesItExactly() throws Exception {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        Process writer = TestJvm.of("256m", AppWriter.class, src.toString(), "30000", "40").start();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("READY");

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            env.enableCheckpointing(300);
            env.fromSource(
                            LsmLogSource.<LogEntry>builder()
                                    .setLogConfig(
                                            LogConfig.builder(src)
                                                    .readerRefreshInterval(Duration.ofMillis(20))
                                                    .build())
                                    .setStartingPosition(LsmLogPosition.earliest())
                                    .setDiscoveryInterval(Duration.ofMillis(100))
                                    .setDeserializer(LsmLogDeserializer.entries())
                                    .build(),
                            WatermarkStrategy.noWatermarks(),
                            "follow")
                    .keyBy(LogEntry::keyString)
                    .sinkTo(
                            LsmLogSink.<LogEntry>builder()
                                    .setPath(dst.toString())
                                    .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                    .setSinkId("copy")
                                    .setSerializer((e, ts) -> new Record(e.key(), e.value()))
                                    .build());
            JobClient job = env.executeAsync("follow another process");
            writer.getOutputStream().write("go\n".getBytes());
            writer.getOutputStream().flush();
            String done = out.readLine();
            assertThat(done).startsWith("DONE ");
            long total = Long.parseLong(done.substring(5));
            assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();

            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (count(dst) < total && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            job.cancel().get(1, TimeUnit.MINUTES);
            assertThat(count(dst)).isEqualTo(total);
            Map<String, List<String>> expected = byKey(src);
            assertThat(expected).hasSize(40);
            assertThat(byKey(dst)).isEqualTo(expected);
        } finally {
            writer.destroyForcibly();
        }
    }
}
