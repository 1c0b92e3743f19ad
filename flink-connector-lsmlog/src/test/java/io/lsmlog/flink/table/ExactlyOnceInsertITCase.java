package io.lsmlog.flink.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.KeyRange;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogReader;
import io.lsmlog.SeqRange;
import io.lsmlog.flink.MiniClusters;
import io.lsmlog.flink.TestLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exactly-once {@code INSERT INTO} an lsmlog table fails once after some of its checkpoints have
 * committed, restarts from the last checkpoint, and still writes every input row exactly once.
 */
class ExactlyOnceInsertITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 2);

    static volatile Path output;
    static final AtomicLong CALLS = new AtomicLong();
    static final AtomicLong COMMITTED_AT_FAILURE = new AtomicLong(-1);

    /**
     * Passes every row, a little slowly; throws once, as soon as the output log shows committed
     * entries (so the restart must not write them again).
     */
    public static final class FailOnceAfterACommit extends ScalarFunction {
        private transient LogReader reader;

        public boolean eval(Integer v) throws Exception {
            long n = CALLS.incrementAndGet();
            if (n % 20 == 0) {
                Thread.sleep(1);
            }
            if (n % 200 == 0 && COMMITTED_AT_FAILURE.get() < 0 && Files.exists(output)) {
                if (reader == null) {
                    reader = LogReader.open(LogConfig.builder(output).build());
                }
                reader.refresh();
                long committed = reader.count(KeyRange.all(), SeqRange.all());
                if (committed > 0 && COMMITTED_AT_FAILURE.compareAndSet(-1, committed)) {
                    throw new RuntimeException("injected failure after " + committed + " commits");
                }
            }
            return true;
        }

        @Override
        public void close() {
            if (reader != null) {
                reader.close();
            }
        }
    }

    @TempDir Path tmp;

    @Test
    void anInsertThatFailsOnceWritesEveryRowExactlyOnce() throws Exception {
        Path in = tmp.resolve("in");
        output = tmp.resolve("out");
        CALLS.set(0);
        COMMITTED_AT_FAILURE.set(-1);
        List<LogEntry> input = TestLogs.populate(in, 20_000, 50, 64 << 10);

        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        t.getConfig().set("parallelism.default", "2");
        t.getConfig().set("execution.checkpointing.interval", "100ms");
        t.getConfig().set("restart-strategy.type", "fixed-delay");
        t.getConfig().set("restart-strategy.fixed-delay.attempts", "3");
        t.getConfig().set("restart-strategy.fixed-delay.delay", "100ms");
        t.createTemporarySystemFunction("fail_once", FailOnceAfterACommit.class);
        t.executeSql(
                "CREATE TABLE src (v STRING, k BYTES METADATA FROM 'key' VIRTUAL) WITH ("
                        + " 'connector' = 'lsmlog', 'path' = '"
                        + in
                        + "', 'format' = 'raw', 'scan.bounded.mode' = 'latest',"
                        + " 'scan.split.target-size' = '16384')");
        t.executeSql(
                "CREATE TABLE dst (v STRING, k BYTES METADATA FROM 'key') WITH ("
                        + " 'connector' = 'lsmlog', 'path' = '"
                        + output
                        + "', 'format' = 'raw', 'sink.delivery-guarantee' = 'exactly-once')");
        t.executeSql("INSERT INTO dst SELECT v, k FROM src WHERE fail_once(CHAR_LENGTH(v))")
                .await();

        assertThat(COMMITTED_AT_FAILURE.get())
                .as("entries committed before the injected failure")
                .isPositive()
                .isLessThan(input.size());
        assertThat(CALLS.get()).as("rows replayed after the restart").isGreaterThan(input.size());
        List<LogEntry> written = TestLogs.all(output);
        assertThat(TestLogs.diff(TestLogs.valuesByKey(input), TestLogs.valuesByKey(written)))
                .isEmpty();
        assertThat(written).hasSize(input.size());
    }

    /**
     * A second job with the same sink id starts its checkpoints at 1 again: its commits must count
     * on from the first job's epochs, not be skipped as replays (they were, before epoch bases).
     */
    @Test
    void aSecondJobWithTheSameSinkIdCommitsItsOwnCheckpoints() throws Exception {
        Path output = tmp.resolve("twice");
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        t.getConfig().set("execution.checkpointing.interval", "100ms");
        t.getConfig().set("restart-strategy.type", "none");
        t.executeSql(
                "CREATE TABLE dst (v STRING, k BYTES METADATA FROM 'key') WITH ("
                        + " 'connector' = 'lsmlog', 'path' = '"
                        + output
                        + "', 'format' = 'raw', 'sink.delivery-guarantee' = 'exactly-once',"
                        + " 'sink.sink-id' = 'same')");
        t.executeSql(
                        "INSERT INTO dst VALUES ('first', CAST('a' AS BYTES)), ('second', CAST('b' AS BYTES))")
                .await();
        t.executeSql("INSERT INTO dst VALUES ('third', CAST('a' AS BYTES))").await();
        t.executeSql("INSERT INTO dst VALUES ('fourth', CAST('b' AS BYTES))").await();
        assertThat(TestLogs.all(output))
                .extracting(LogEntry::valueString)
                .containsExactlyInAnyOrder("first", "second", "third", "fourth");
    }
}
