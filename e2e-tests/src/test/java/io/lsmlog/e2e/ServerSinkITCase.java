package io.lsmlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.LogReader;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import io.lsmlog.flink.sink.LsmLogRecordSerializer;
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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once sink through a log server in its own process, from two TaskManagers, while the
 * server is killed -9 and started again: the log ends up with every input record once, each key's
 * in input order.
 */
class ServerSinkITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    /** Records the sink serialized: past the input's count once a kill made it stage again. */
    static final AtomicLong SERIALIZED = new AtomicLong();

    @TempDir Path tmp;

    /** The entry key; counts and slows the sink a little, so that the kill lands mid-stage. */
    static String keyOf(String v) {
        if (SERIALIZED.incrementAndGet() % 20 == 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return v.substring(0, v.indexOf(':'));
    }

    private static Process startServer(Path dir, int port) throws Exception {
        return TestJvm.of("256m", ServerMain.class, dir.toString(), Integer.toString(port)).start();
    }

    private static int awaitPort(Process server) throws Exception {
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the server's first line").startsWith("port ");
        return Integer.parseInt(line.substring(5));
    }

    @Test
    void exactlyOnceFromTwoTaskManagersThroughAServerKilledAndRestarted() throws Exception {
        Path src = tmp.resolve("src");
        Path served = tmp.resolve("served");
        Map<String, List<String>> expected = new TreeMap<>();
        try (Log log = Log.open(LogConfig.builder(src).build())) {
            for (int b = 0; b < 4_000; b++) {
                List<Record> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    int n = b * 10 + i;
                    String key = "k" + (n % 50);
                    String value = key + ":" + n;
                    batch.add(Record.of(key, value));
                    expected.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                }
                log.append(batch);
            }
        }
        Process server = startServer(served, 0);
        int port = awaitPort(server);
        try {
            SERIALIZED.set(0);
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 50);
            conf.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(500));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            env.enableCheckpointing(200);
            env.fromSource(
                            LsmLogSource.<String>builder()
                                    .setPath(src.toString())
                                    .setBounded(LsmLogPosition.latest())
                                    .setDeserializer(LsmLogDeserializer.valueAsString())
                                    .build(),
                            WatermarkStrategy.noWatermarks(),
                            "source")
                    .keyBy(v -> v.substring(0, v.indexOf(':')))
                    .sinkTo(
                            LsmLogSink.<String>builder()
                                    .setUri("lsmlog://127.0.0.1:" + port)
                                    .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                    .setSinkId("through-server")
                                    .setSerializer(
                                            LsmLogRecordSerializer.ofStrings(
                                                    ServerSinkITCase::keyOf, v -> v))
                                    .build());
            JobClient job = env.executeAsync("sink through the server");
            // Kill the server once the sink staged a third, and bring it back a second later.
            while (SERIALIZED.get() < 13_000 && !job.getJobExecutionResult().isDone()) {
                Thread.sleep(5);
            }
            assertThat(job.getJobExecutionResult())
                    .as("the job is running at the kill")
                    .isNotDone();
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Thread.sleep(1_000);
            server = startServer(served, port);
            assertThat(awaitPort(server)).isEqualTo(port);
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
            assertThat(SERIALIZED.get())
                    .as("records staged again after the kill (the broken stage's)")
                    .isGreaterThan(40_000);
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
        Map<String, List<String>> actual = new TreeMap<>();
        try (LogReader r = LogReader.open(LogConfig.builder(served).build());
                LogIterator it = r.scanBySequence(KeyRange.all(), SeqRange.all())) {
            while (it.hasNext()) {
                LogEntry e = it.next();
                actual.computeIfAbsent(e.keyString(), k -> new ArrayList<>()).add(e.valueString());
            }
        }
        assertThat(actual).isEqualTo(expected);
    }
}
