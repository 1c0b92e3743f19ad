package io.lsmlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.LogLockedException;
import io.lsmlog.flink.sink.LsmLogRecordSerializer;
import io.lsmlog.flink.sink.LsmLogSink;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A log has one writer: a sink whose directory another process writes fails with a clear error. */
class SecondWriterITCase {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @TempDir Path tmp;

    @Test
    void aSinkOnADirectoryHeldByAnotherProcessFailsNamingIt() throws Exception {
        Path dir = tmp.resolve("log");
        Process holder = TestJvm.of("256m", AppWriter.class, dir.toString(), "10", "2").start();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("READY"); // holds the writer lock until told "go"
            Configuration conf = new Configuration();
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.fromData("a", "b")
                    .sinkTo(
                            LsmLogSink.<String>builder()
                                    .setPath(dir.toString())
                                    .setSerializer(LsmLogRecordSerializer.ofStrings(s -> s, s -> s))
                                    .build());
            assertThatThrownBy(() -> env.execute("second writer"))
                    .satisfies(
                            e -> {
                                // Task failures reach the client as SerializedThrowables: check the
                                // original type and message in the chain's text.
                                String chain = ExceptionUtils.stringifyException(e);
                                assertThat(chain)
                                        .contains(LogLockedException.class.getName())
                                        .contains(
                                                "log directory "
                                                        + dir
                                                        + " is locked by another writer")
                                        .contains("use LogReader for read-only access");
                            });
        } finally {
            holder.destroyForcibly();
        }
    }
}
