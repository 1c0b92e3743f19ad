package io.lsmlog.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lsmlog-sql} is Flink's own SQL client with the lsmlog connector, on an in-process
 * cluster that serves Flink's web UI: a script with what a hand-written runner got wrong (SET,
 * RESET, a STATEMENT SET, block and line comments, EXPLAIN, SHOW JOBS), a failing statement, a
 * one-liner, the web UI's REST API while a job runs, and an interactive session through a
 * pseudo-terminal. As in Flink's client, statements end with ';' at the end of a line.
 */
class SqlClientITCase {
    private static final Pattern WEB_UI = Pattern.compile("Flink web UI: (http://\\S+)");

    @TempDir Path tmp;

    private ProcessBuilder client(String... args) throws Exception {
        return SqlClientJvm.of(tmp, args);
    }

    private record Run(int code, String out) {}

    private Run run(String... args) throws Exception {
        Process p = client(args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(out).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static final String TABLE =
            "CREATE TABLE t (k STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = 'data/t',"
                    + " 'format' = 'json', 'key.fields' = 'k', 'scan.bounded.mode' = 'latest');\n";

    @Test
    void aScriptWithSetResetStatementSetCommentsExplainAndShowJobsRunsInOrder() throws Exception {
        Path init = tmp.resolve("init.sql");
        Files.writeString(init, TABLE); // -i: the tables, before the script
        Path script = tmp.resolve("script.sql");
        Files.writeString(
                script,
                "/* a block comment; with a semicolon */\n"
                        + "SET 'execution.runtime-mode' = 'batch';\n"
                        + "RESET 'execution.runtime-mode';\n"
                        + "SET 'execution.runtime-mode' = 'batch';\n"
                        + "EXECUTE STATEMENT SET BEGIN\n"
                        + "  INSERT INTO t VALUES ('a', 1), ('b', 2);\n"
                        + "  INSERT INTO t VALUES ('a', 3);\n"
                        + "END;\n"
                        + "-- a line comment; with a semicolon\n"
                        + "SELECT k, v FROM t WHERE k = 'a';\n"
                        + "EXPLAIN SELECT k, v FROM t WHERE k = 'a';\n"
                        + "SHOW JOBS;\n");
        Run r = run("-i", init.toString(), "-f", script.toString());
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out).contains("Successfully initialized from sql script");
        assertThat(r.out).doesNotContain("[ERROR]");
        assertThat(r.out)
                .containsPattern("\\|\\s+a \\|\\s+1 \\|")
                .containsPattern("\\|\\s+a \\|\\s+3 \\|");
        assertThat(r.out).doesNotContainPattern("\\|\\s+b \\|\\s+2 \\|");
        assertThat(r.out).contains("== Optimized Physical Plan ==").contains("TableSourceScan");
        // SHOW JOBS lists both jobs, the statement set's insert and the query, finished.
        assertThat(r.out)
                .containsPattern("insert-into_default_catalog\\.default_database\\.t_1.*FINISHED")
                .contains("Flink web UI: http://127.0.0.1:");
    }

    @Test
    void aFailingStatementStopsTheScriptWithExitCodeOne() throws Exception {
        Run r = run("-e", TABLE + "SELECT nope FROM t;\n" + "INSERT INTO t VALUES ('after', 1);");
        assertThat(r.code).as(r.out).isEqualTo(1);
        assertThat(r.out).contains("[ERROR]").contains("nope");
        assertThat(Files.exists(tmp.resolve("data/t"))).as("nothing after the error ran").isFalse();
        Run bad = run("-e");
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.out).contains("-e needs a value");
    }

    @Test
    void aOneLinerRunsItsStatements() throws Exception {
        Run r =
                run(
                        "-e",
                        TABLE
                                + "INSERT INTO t VALUES ('x', 7);\n"
                                + "SELECT k, v FROM t WHERE k = 'x'");
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out).containsPattern("\\|\\s+\\+I \\|\\s+x \\|\\s+7 \\|");
    }

    @Test
    void theWebUiServesTheRunningJob() throws Exception {
        // An unbounded query keeps a job running until the client is stopped.
        try (io.lsmlog.Log log =
                io.lsmlog.Log.open(io.lsmlog.LogConfig.builder(tmp.resolve("data/src")).build())) {
            log.append(List.of(io.lsmlog.Record.of("a", "{\"k\":\"a\",\"v\":1}")));
        }
        Process p =
                client(
                                "-e",
                                "CREATE TABLE src (k STRING, v INT) WITH ('connector' = 'lsmlog',"
                                        + " 'path' = 'data/src', 'format' = 'json', 'key.fields' = 'k');\n"
                                        + "CREATE TABLE dst WITH ('connector' = 'blackhole')"
                                        + " LIKE src (EXCLUDING OPTIONS);\n"
                                        + "INSERT INTO dst SELECT * FROM src;")
                        .start();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String ui = null;
            for (String line; ui == null && (line = in.readLine()) != null; ) {
                Matcher m = WEB_UI.matcher(line);
                if (m.find()) {
                    ui = m.group(1);
                }
            }
            assertThat(ui).as("the web UI address is printed").isNotNull();
            HttpClient http = HttpClient.newHttpClient();
            String overview = "";
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!overview.contains("\"state\":\"RUNNING\"") && System.nanoTime() < deadline) {
                Thread.sleep(250);
                overview =
                        http.send(
                                        HttpRequest.newBuilder(URI.create(ui + "/jobs/overview"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
            }
            assertThat(overview).contains("\"state\":\"RUNNING\"").contains("insert-into");
            // The web UI itself (flink-runtime-web) is served too, not only the REST API.
            assertThat(
                            http.send(
                                            HttpRequest.newBuilder(URI.create(ui + "/")).build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body())
                    .containsIgnoringCase("<html");
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anInteractiveSessionThroughAPseudoTerminal() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/script")),
                "util-linux's script (which makes the pseudo-terminal) is not installed");
        List<String> java = client().command();
        StringBuilder cmd = new StringBuilder();
        for (String a : java) {
            cmd.append('\'').append(a.replace("'", "'\\''")).append("' ");
        }
        ProcessBuilder pb =
                new ProcessBuilder("/usr/bin/script", "-q", "-e", "-c", cmd.toString(), "/dev/null")
                        .directory(tmp.toFile())
                        .redirectErrorStream(true);
        pb.environment().putAll(client().environment());
        pb.environment().put("TERM", "xterm");
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            Thread.sleep(8000); // the cluster and the client start; typed lines wait in the pty
            in.write(
                    ("SET 'sql-client.execution.result-mode' = 'tableau';\n"
                                    + "SELECT 'hello-from-a-terminal' AS greeting;\n"
                                    + "QUIT;\n")
                            .getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(out).isTrue();
        // Flink's interactive shell: its banner, the typed query's result, a clean exit.
        assertThat(out).contains("Welcome! Enter 'HELP;'").contains("hello-from-a-terminal");
        assertThat(out)
                .contains("Exiting Flink SQL CLI Client")
                .contains("Shutting down the session");
    }
}
