package io.lsmlog.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.e2e.TestJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL script in docs/examples, run by the SQL runner as a real process. */
class SqlExamplesITCase {
    @TempDir Path tmp;

    @Test
    void theDocsOrdersScriptRuns() throws Exception {
        Path script = Path.of("..", "docs", "examples", "orders.sql").toAbsolutePath().normalize();
        assertThat(script).exists();
        Process p =
                TestJvm.of("512m", SqlRunner.class, "-f", script.toString())
                        .directory(tmp.toFile()) // the script's relative 'data/...' path lands here
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("[INFO] insert finished");
        assertThat(out).containsPattern("\\|\\s+\\+I \\|\\s+bob \\|\\s+20 \\|");
        assertThat(out).containsPattern("\\|\\s+\\+U \\|\\s+alice \\|\\s+40 \\|");
        assertThat(out).containsPattern("\\|\\s+\\+I \\|\\s+alice \\|\\s+30 \\|\\s+2 \\|"); // seq 2
        assertThat(Files.isDirectory(tmp.resolve("data").resolve("sql-orders"))).isTrue();
    }
}
