package io.lsmlog.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.LogEntry;
import io.lsmlog.Record;
import io.lsmlog.flink.sink.LsmLogSink;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log → log with exactly-once source and sink while tasks fail at random records and a TaskManager
 * is restarted: the target must equal the source per key, in order — nothing lost, nothing twice.
 */
class ExactlyOnceFailoverITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(2, 2);

    @TempDir Path tmp;

    static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
    static final AtomicInteger FAILURES = new AtomicInteger();
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final AtomicLong PROCESSED = new AtomicLong();

    /** Throws at random records once a checkpoint has completed; slows the job a little. */
    static final class FailingMapper extends RichMapFunction<LogEntry, LogEntry>
            implements CheckpointListener {
        private transient Random random;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
            random = new Random();
        }

        @Override
        public LogEntry map(LogEntry e) throws Exception {
            long n = PROCESSED.incrementAndGet();
            if (n % 25 == 0) {
                Thread.sleep(1);
            }
            if (CHECKPOINTED.get()
                    && random.nextInt(4000) == 0
                    && FAILURES_LEFT.getAndDecrement() > 0) {
                FAILURES.incrementAndGet();
                CHECKPOINTED.set(false);
                throw new RuntimeException("injected failure at record " + n);
            }
            return e;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }

    @Test
    void targetEqualsSourcePerKeyDespiteTaskFailuresAndATaskManagerRestart(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        List<LogEntry> input = TestLogs.populate(src, 60_000, 100, 32 << 10);
        FAILURES_LEFT.set(4);
        FAILURES.set(0);
        CHECKPOINTED.set(false);
        PROCESSED.set(0);

        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 100);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(3);
        env.enableCheckpointing(150);
        env.fromSource(
                        LsmLogSource.<LogEntry>builder()
                                .setPath(src.toString())
                                .setBounded(LsmLogPosition.latest())
                                .setTargetSplitBytes(16 << 10)
                                .setDeserializer(LsmLogDeserializer.entries())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .map(new FailingMapper())
                .keyBy(LogEntry::keyString)
                .sinkTo(
                        LsmLogSink.<LogEntry>builder()
                                .setPath(dst.toString())
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setSinkId("failover-test")
                                .setSerializer((e, ts) -> new Record(e.key(), e.value()))
                                .build());
        JobClient job = env.executeAsync("exactly-once failover");

        // Restart a TaskManager once the job has made progress and checkpointed.
        CompletableFuture<Void> tmRestart =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                long deadline = System.nanoTime() + 60_000_000_000L;
                                while (PROCESSED.get() < 20_000 && System.nanoTime() < deadline) {
                                    Thread.sleep(20);
                                }
                                cluster.terminateTaskManager(0).get();
                                cluster.startTaskManager();
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
        job.getJobExecutionResult().get(4, java.util.concurrent.TimeUnit.MINUTES);
        tmRestart.get();

        List<LogEntry> output = TestLogs.all(dst);
        String diff = TestLogs.diff(TestLogs.valuesByKey(input), TestLogs.valuesByKey(output));
        if (!diff.isEmpty()) {
            String key = diff.substring(0, diff.indexOf(':'));
            output.stream()
                    .filter(e -> e.keyString().equals(key))
                    .forEach(
                            e -> System.err.println("OUT " + e.sequence() + " " + e.valueString()));
        }
        assertThat(TestLogs.diff(TestLogs.valuesByKey(input), TestLogs.valuesByKey(output)))
                .isEmpty();
        assertThat(FAILURES.get()).as("injected task failures").isGreaterThanOrEqualTo(1);
        assertThat(PROCESSED.get())
                .as("records were replayed after failures")
                .isGreaterThan(input.size());
        assertThat(TestLogs.diff(TestLogs.valuesByKey(input), TestLogs.valuesByKey(output)))
                .isEmpty();
        assertThat(output).hasSize(input.size());
        // No staged file is left behind.
        assertThat(dst.resolve("staging").toFile().list()).isEmpty();
    }
}
