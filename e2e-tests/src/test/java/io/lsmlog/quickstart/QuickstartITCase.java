package io.lsmlog.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, small: every step runs and the summary adds up. */
class QuickstartITCase {
    @TempDir Path tmp;

    @Test
    void quickstartWritesAndQueriesTheLog() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Quickstart.main(
                    new String[] {
                        "--records", "20000", "--keys", "500", "--dir", tmp.resolve("qs").toString()
                    });
        } finally {
            System.setOut(old);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        old.println(out);
        assertThat(out).contains("step 1  wrote 20,000 orders exactly-once");
        assertThat(out).contains("step 2  totals per customer (20,000 orders read, 500 customers");
        assertThat(out)
                .containsPattern("step 3  the top customer's stream, customer-\\d+: \\d+ orders");
        assertThat(out)
                .containsPattern(
                        "step 4  orders per 1-second window of append time \\(\\d+ windows, 20,000 orders");
        assertThat(out)
                .containsPattern(
                        "summary: 20,000 records, 500 keys, \\d+ segments, [\\d,]+ bytes on disk, next sequence 20,000");
    }
}
