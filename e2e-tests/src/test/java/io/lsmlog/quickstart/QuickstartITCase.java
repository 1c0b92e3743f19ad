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
        // What the queries must find, computed from the generator itself.
        java.util.Map<String, long[]> expected = new java.util.TreeMap<>();
        for (long i = 0; i < 20_000; i++) {
            String[] o = Quickstart.order(i, 500).split(",");
            long[] t = expected.computeIfAbsent(o[0], c -> new long[2]);
            t[0] += Long.parseLong(o[1]);
            t[1]++;
        }
        java.util.Map.Entry<String, long[]> topCustomer =
                expected.entrySet().stream()
                        .min(
                                java.util.Comparator.comparingLong(
                                        (java.util.Map.Entry<String, long[]> e) ->
                                                -e.getValue()[0]))
                        .orElseThrow();
        String top = topCustomer.getKey();
        assertThat(out).contains("step 2  totals per customer, top 10");
        assertThat(out)
                .containsPattern(
                        "\\n {10}"
                                + top
                                + " +"
                                + String.format("%,d", topCustomer.getValue()[0])
                                + " +"
                                + String.format("%,d", topCustomer.getValue()[1])
                                + "\\n");
        assertThat(out)
                .contains("step 3  " + top + "'s stream (key push-down, ")
                .contains(
                        String.format(
                                "%,d orders, total %,d,",
                                topCustomer.getValue()[1], topCustomer.getValue()[0]));
        assertThat(out)
                .containsPattern(
                        "step 4  orders per 1-second window of append time \\(\\d+ windows?, 20,000 orders");
        assertThat(out)
                .containsPattern(
                        "summary: 20,000 records, 500 keys, \\d+ segments?, [\\d,]+ bytes on disk, next sequence 20000");
    }
}
