package io.lsmlog.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL script in docs/examples, run by bin/lsmlog-sql's client as a real process. */
class SqlExamplesITCase {
    @TempDir Path tmp;

    @Test
    void theDocsOrdersScriptRuns() throws Exception {
        Path script = Path.of("..", "docs", "examples", "orders.sql").toAbsolutePath().normalize();
        assertThat(script).exists();
        // the script's relative 'data/...' path lands in tmp
        ProcessBuilder pb = SqlClientJvm.of(tmp, "-f", script.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("Complete execution of the SQL update statement");
        assertThat(out).containsPattern("\\|\\s+\\+I \\|\\s+bob \\|\\s+20 \\|");
        assertThat(out).containsPattern("\\|\\s+\\+U \\|\\s+alice \\|\\s+40 \\|");
        assertThat(out).containsPattern("\\|\\s+\\+I \\|\\s+alice \\|\\s+30 \\|\\s+2 \\|"); // seq 2
        assertThat(Files.isDirectory(tmp.resolve("data").resolve("sql-orders"))).isTrue();
    }
}
