package io.lsmlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.Record;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/lsmlog as a real process, from another working directory. */
class CliProcessITCase {
    @TempDir Path tmp;

    private static Path launcher() {
        return Path.of("").toAbsolutePath().getParent().resolve("bin").resolve("lsmlog");
    }

    private Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(tmp.toFile()).start();
    }

    private String run(String... args) throws Exception {
        Process p = start(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes())).isZero();
        return out;
    }

    @Test
    void tailPicksUpRecordsAppendedByAnotherProcess() throws Exception {
        Path dir = tmp.resolve("log");
        assertThat(run("append", "--dir", "log", "k1", "before")).contains("appended sequence 0");
        Process tail =
                start(
                        "tail",
                        "--dir",
                        dir.toString(),
                        "--prefix",
                        "k",
                        "--json",
                        "--from", // start right after "before", however long the process takes to
                        // start
                        "1",
                        "--limit",
                        "3",
                        "--refresh",
                        "20ms");
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8));
        // This JVM is the other process: it writes while the tail process follows.
        List<Map<String, Object>> seen = new ArrayList<>();
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            log.append(List.of(Record.of("k1", "a"), Record.of("x", "skip"), Record.of("k2", "b")));
            log.append(List.of(Record.of("k3", "c")));
            for (int i = 0; i < 3; i++) {
                String line = out.readLine();
                assertThat(line).as("tail line %d", i).isNotNull();
                seen.add(FlatJson.parse(line));
            }
        }
        assertThat(tail.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tail.exitValue()).isZero();
        assertThat(seen).extracting(m -> m.get("key")).containsExactly("k1", "k2", "k3");
        assertThat(seen).extracting(m -> m.get("value")).containsExactly("a", "b", "c");
        assertThat(seen).extracting(m -> m.get("sequence")).containsExactly(1L, 3L, 4L);
    }

    @Test
    void errorsExitNonZeroWithOneLine() throws Exception {
        Process p = start("keys", "--dir", "missing");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(err.trim()).startsWith("lsmlog: no log in ").endsWith("holds no lsmlog data)");
        assertThat(err.trim().lines().count()).isEqualTo(1);
    }
}
