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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: source → keyed running sum (Flink state) → sink, all exactly-once, for about half a minute
 * with task failures at random records and a TaskManager restart. The output log must hold, per
 * key, exactly the prefix sums of that key's input values, in order.
 */
class FailoverSoakITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path tmp;

    static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
    static final AtomicLong PROCESSED = new AtomicLong();

    /** Keeps a running sum per key in keyed state; fails now and then; throttles a little. */
    static final class RunningSum extends RichMapFunction<String, String> {
        private transient ValueState<Long> sum;
        private transient Random random;

        @Override
        public void open(OpenContext ctx) {
            sum = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", Types.LONG));
            random = new Random();
        }

        @Override
        public String map(String v) throws Exception {
            long n = PROCESSED.incrementAndGet();
            if (n % 10 == 0) {
                Thread.sleep(1);
            }
            if (n > 2_000 && random.nextInt(6_000) == 0 && FAILURES_LEFT.getAndDecrement() > 0) {
                throw new RuntimeException("injected failure at record " + n);
            }
            String[] f = v.split(":");
            long s = (sum.value() == null ? 0 : sum.value()) + Long.parseLong(f[1]);
            sum.update(s);
            return f[0] + ":" + s;
        }
    }

    /**
     * Waits for the job to end for as long as it makes progress (records processed, replays
     * included): a busy machine only makes it slower. After {@code stall} without progress it
     * prints every thread's stack (the MiniCluster runs in this JVM) and fails saying where.
     */
    private static void awaitWhileProgressing(JobClient job, Duration stall) throws Exception {
        long seen = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            try {
                job.getJobExecutionResult().get(5, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                long now = PROCESSED.get();
                if (now != seen) {
                    seen = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
                    StringBuilder dump = new StringBuilder();
                    Thread.getAllStackTraces()
                            .forEach(
                                    (t, stack) -> {
                                        dump.append('"')
                                                .append(t.getName())
                                                .append("\" ")
                                                .append(t.getState())
                                                .append('\n');
                                        for (StackTraceElement f : stack) {
                                            dump.append("    at ").append(f).append('\n');
                                        }
                                    });
                    System.out.println(dump);
                    throw new AssertionError(
                            "soak job made no progress for "
                                    + stall
                                    + " (status "
                                    + job.getJobStatus().get()
                                    + ", "
                                    + now
                                    + " records processed, "
                                    + FAILURES_LEFT.get()
                                    + " injected failures left); thread dump above");
                }
            }
        }
    }

    @Test
    void keyedAggregationIsExactlyOnceAcrossFailuresAndATaskManagerRestart(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        Random rnd = new Random(5);
        Map<String, List<Long>> expected = new TreeMap<>();
        try (Log log = Log.open(LogConfig.builder(src).segmentRollBytes(64 << 10).build())) {
            for (int b = 0; b < 12_000; b++) {
                List<Record> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String key = "k" + rnd.nextInt(64);
                    int v = 1 + rnd.nextInt(1000);
                    batch.add(Record.of(key, key + ":" + v));
                    List<Long> sums = expected.computeIfAbsent(key, k -> new ArrayList<>());
                    sums.add((sums.isEmpty() ? 0 : sums.get(sums.size() - 1)) + v);
                }
                log.append(batch);
            }
        }
        FAILURES_LEFT.set(8);
        PROCESSED.set(0);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 100);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(3);
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
                .map(new RunningSum())
                .keyBy(v -> v.substring(0, v.indexOf(':')))
                .sinkTo(
                        LsmLogSink.<String>builder()
                                .setPath(dst.toString())
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setSinkId("soak")
                                .setSerializer(
                                        LsmLogRecordSerializer.ofStrings(
                                                v -> v.substring(0, v.indexOf(':')), v -> v))
                                .build());
        JobClient job = env.executeAsync("soak");
        CompletableFuture<Void> tmRestart =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                while (PROCESSED.get() < 50_000) {
                                    Thread.sleep(20);
                                }
                                cluster.terminateTaskManager(1).get();
                                cluster.startTaskManager();
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
        awaitWhileProgressing(job, Duration.ofMinutes(2));
        tmRestart.get(1, TimeUnit.MINUTES);

        Map<String, List<Long>> actual = new TreeMap<>();
        try (LogReader r = LogReader.open(LogConfig.builder(dst).build());
                LogIterator it = r.scanBySequence(KeyRange.all(), SeqRange.all())) {
            while (it.hasNext()) {
                LogEntry e = it.next();
                String[] f = e.valueString().split(":");
                actual.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Long.parseLong(f[1]));
            }
        }
        assertThat(PROCESSED.get())
                .as("records were replayed after failures")
                .isGreaterThan(120_000);
        Map<String, Integer> mismatches = new HashMap<>();
        expected.forEach(
                (k, v) -> {
                    if (!v.equals(actual.get(k))) {
                        mismatches.put(k, actual.getOrDefault(k, List.of()).size());
                    }
                });
        assertThat(mismatches).as("keys whose output differs from the exact prefix sums").isEmpty();
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
    }
}
