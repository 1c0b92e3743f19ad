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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-key order and exactly-once across rescaling: a log → log job is stopped with a savepoint at
 * parallelism 2, restored at 3, stopped again and restored at 1. Each restore hands the readers'
 * splits out evenly (not by lane), so a key's next segment is read by another reader than its
 * previous one; the target must still equal the source key by key, in order, each entry once.
 */
class RescaleOrderITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(2, 3);

    @TempDir Path tmp;

    static final AtomicLong PROCESSED = new AtomicLong();

    /** Slows the job so that it is stopped in the middle, many segments from its end. */
    static final class Slow implements MapFunction<LogEntry, LogEntry> {
        @Override
        public LogEntry map(LogEntry e) throws Exception {
            if (PROCESSED.incrementAndGet() % 20 == 0) {
                Thread.sleep(1);
            }
            return e;
        }
    }

    @Test
    void savepointAtTwoRestoredAtThreeThenAtOneKeepsEveryKeyInOrderExactlyOnce() throws Exception {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        List<LogEntry> input = TestLogs.populate(src, 60_000, 100, 32 << 10);
        PROCESSED.set(0);

        String first = run(src, dst, 2, null, 15_000);
        assertThat(first).as("stopped with a savepoint at p=2").isNotNull();
        long atFirst = TestLogs.all(dst).size();
        String second = run(src, dst, 3, first, PROCESSED.get() + 15_000);
        assertThat(second).as("stopped with a savepoint at p=3").isNotNull();
        long atSecond = TestLogs.all(dst).size();
        assertThat(run(src, dst, 1, second, Long.MAX_VALUE)).as("ran to its end at p=1").isNull();

        // Each part wrote some of it: the restores really resumed in the middle.
        assertThat(atFirst).isPositive();
        assertThat(atSecond).isGreaterThan(atFirst);
        List<LogEntry> output = TestLogs.all(dst);
        assertThat(atSecond).isLessThan(output.size());
        assertThat(TestLogs.diff(TestLogs.valuesByKey(input), TestLogs.valuesByKey(output)))
                .isEmpty();
        assertThat(output).hasSize(input.size());
    }

    /**
     * Runs the job at {@code parallelism}, restored from {@code savepoint} if given; stops it with
     * a savepoint once {@link #PROCESSED} reaches {@code stopAt} and returns its path, or returns
     * null when the job ended first.
     */
    private String run(Path src, Path dst, int parallelism, @Nullable String savepoint, long stopAt)
            throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(200);
        env.fromSource(
                        LsmLogSource.<LogEntry>builder()
                                .setPath(src.toString())
                                .setBounded(LsmLogPosition.latest())
                                .setTargetSplitBytes(16 << 10)
                                .setDeserializer(LsmLogDeserializer.entries())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .uid("source")
                .map(new Slow())
                .uid("slow")
                .keyBy(LogEntry::keyString)
                .sinkTo(
                        LsmLogSink.<LogEntry>builder()
                                .setPath(dst.toString())
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setSinkId("rescale-test")
                                .setSerializer((e, ts) -> new Record(e.key(), e.value()))
                                .build())
                .uid("sink");
        JobClient job = env.executeAsync("rescale at p=" + parallelism);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (PROCESSED.get() < stopAt && System.nanoTime() < deadline) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                job.getJobExecutionResult().get(); // throws if it failed
                return null;
            }
            Thread.sleep(10);
        }
        if (stopAt == Long.MAX_VALUE || job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
            return null;
        }
        return job.stopWithSavepoint(
                        false,
                        tmp.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
    }
}
