package io.lsmlog.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.GroupDescription;
import io.lsmlog.GroupLag;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogWrite;
import io.lsmlog.Record;
import io.lsmlog.flink.internal.LogConfigHolder;
import io.lsmlog.flink.internal.SharedLogs;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job commits its completed checkpoints to a reader group; the group's lag is exact while nothing
 * reads; a second job started from the group reads exactly what the first did not.
 */
class GroupCommitITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 2);

    @TempDir Path tmp;

    private static List<Record> batch(String tag, int keys, int perKey) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                out.add(Record.of("k" + k, tag + "-" + k + "-" + i));
            }
        }
        return out;
    }

    private static long lag(LogWrite log) {
        GroupDescription d = log.groups().describe("billing").orElseThrow();
        return GroupLag.of(log, d).total();
    }

    @Test
    void aJobCommitsToAGroupAndTheNextStartsFromIt() throws Exception {
        LogConfig config =
                LogConfig.builder(tmp.resolve("log"))
                        .segmentRollBytes(32 << 10)
                        .readerRefreshInterval(Duration.ofMillis(20))
                        .build();
        // The log's writer, shared with the job (its source commits to the group through it).
        try (SharedLogs.Lease<LogWrite> lease = SharedLogs.writer(LogConfigHolder.of(config))) {
            LogWrite log = lease.get();
            log.append(batch("first", 20, 100));

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            env.enableCheckpointing(100);
            LsmLogSource<LogEntry> first =
                    LsmLogSource.<LogEntry>builder()
                            .setLogConfig(config)
                            .setDiscoveryInterval(Duration.ofMillis(50))
                            .setCommitToGroup("billing")
                            .setDeserializer(LsmLogDeserializer.entries())
                            .build();
            try (CloseableIterator<LogEntry> out =
                    env.fromSource(first, WatermarkStrategy.noWatermarks(), "first")
                            .executeAndCollect("commits to billing")) {
                for (int n = 0; n < 2_000; n++) {
                    assertThat(out.next().valueString()).startsWith("first-");
                }
                // The job's lag, as `lsmlog groups describe` shows it, falls to 0 as checkpoints
                // complete.
                long deadline = System.currentTimeMillis() + 60_000;
                while (log.groups().describe("billing").isEmpty() || lag(log) != 0) {
                    assertThat(System.currentTimeMillis()).isLessThan(deadline);
                    Thread.sleep(50);
                }
            }
            // A tailing split's position is the sequence after its lane's last entry read, so a
            // range may stop short of the frontier with nothing of its keys in between (lag 0).
            assertThat(log.groups().describe("billing").orElseThrow().ranges())
                    .hasSize(16)
                    .allMatch(
                            r ->
                                    r.position() > 1_900
                                            && r.position() <= 2_000
                                            && r.owner() == null);

            List<Record> rest = batch("rest", 20, 25);
            log.append(rest);
            assertThat(lag(log)).isEqualTo(500);

            LsmLogSource<LogEntry> second =
                    LsmLogSource.<LogEntry>builder()
                            .setLogConfig(config)
                            .setStartingPosition(
                                    LsmLogPosition.group("billing", LsmLogPosition.earliest()))
                            .setBounded(LsmLogPosition.latest())
                            .setDeserializer(LsmLogDeserializer.entries())
                            .build();
            List<String> read = new ArrayList<>();
            try (CloseableIterator<LogEntry> out =
                    env.fromSource(second, WatermarkStrategy.noWatermarks(), "second")
                            .executeAndCollect("starts from billing")) {
                out.forEachRemaining(e -> read.add(e.keyString() + "=" + e.valueString()));
            }
            assertThat(read)
                    .containsExactlyInAnyOrderElementsOf(
                            rest.stream()
                                    .map(r -> new String(r.key()) + "=" + new String(r.value()))
                                    .toList());

            // No such group: the fallback (here the whole log).
            LsmLogSource<LogEntry> fallback =
                    LsmLogSource.<LogEntry>builder()
                            .setLogConfig(config)
                            .setStartingPosition(
                                    LsmLogPosition.group("nobody", LsmLogPosition.earliest()))
                            .setBounded(LsmLogPosition.latest())
                            .setDeserializer(LsmLogDeserializer.entries())
                            .build();
            long all = 0;
            try (CloseableIterator<LogEntry> out =
                    env.fromSource(fallback, WatermarkStrategy.noWatermarks(), "fallback")
                            .executeAndCollect("falls back")) {
                while (out.hasNext()) {
                    out.next();
                    all++;
                }
            }
            assertThat(all).isEqualTo(2_500);
        }
    }
}
