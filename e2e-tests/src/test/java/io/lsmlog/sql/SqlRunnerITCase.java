package io.lsmlog.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/lsmlog-sql's runner: statements in order, tables printed, errors with the statement. */
class SqlRunnerITCase {
    @TempDir Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                SqlRunner.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runsAScriptAndPrintsTheQueryAsATable() {
        Run r =
                run(
                        "-e",
                        "CREATE TABLE t (k STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                                + tmp.resolve("t")
                                + "',"
                                + " 'format' = 'json', 'key.fields' = 'k', 'scan.bounded.mode' = 'latest');"
                                + " -- a comment; with a semicolon\n"
                                + "INSERT INTO t VALUES ('a', 1), ('b', 2), ('a', 3);"
                                + "SELECT k, SUM(v) AS total FROM t GROUP BY k");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out)
                .contains("Flink SQL> INSERT INTO t VALUES")
                .contains("[INFO] insert finished");
        assertThat(r.out).contains("| op |").containsPattern("\\|\\s+\\+I \\|\\s+b \\|\\s+2 \\|");
        assertThat(r.out).containsPattern("\\|\\s+\\+U \\|\\s+a \\|\\s+4 \\|");
    }

    @Test
    void aFailingStatementIsReportedWithItsTextAndANonZeroExit() {
        Run r = run("-e", "SELECT * FROM no_such_table");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err)
                .contains("statement 1 failed: SELECT * FROM no_such_table")
                .contains("no_such_table");
        assertThat(run("--bogus").code).isEqualTo(2);
        assertThat(run().err).contains("give -f script.sql or -e");
    }

    @Test
    void splitRespectsQuotesAndComments() {
        assertThat(SqlRunner.split("a 'x;y'; -- c;d\n b;;")).containsExactly("a 'x;y'", "b");
    }
}
