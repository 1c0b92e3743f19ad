package io.lsmlog.sql;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * {@code bin/lsmlog-sql -f script.sql | -e "statements" [--batch] [--timeout 60s]}: runs SQL
 * statements one after another on an embedded Flink (MiniCluster) with the lsmlog connector and the
 * json, csv and raw formats. Query results print as a table; INSERT jobs run to completion (or the
 * timeout) with a progress line; an error prints the statement and Flink's message and exits
 * non-zero.
 */
public final class SqlRunner {
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs; returns the exit code (0 ok, 1 a statement failed, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String script = null;
        boolean batch = false;
        Duration timeout = Duration.ofSeconds(60);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-f", "--file" ->
                            script = Files.readString(Path.of(args[++i]), StandardCharsets.UTF_8);
                    case "-e", "--execute" -> script = args[++i];
                    case "--batch" -> batch = true;
                    case "--timeout" ->
                            timeout =
                                    Duration.ofSeconds(
                                            Long.parseLong(args[++i].replaceAll("s$", "")));
                    case "-h", "--help" -> {
                        out.println(
                                "usage: bin/lsmlog-sql (-f script.sql | -e \"statements\") [--batch] [--timeout SECONDS]");
                        return 0;
                    }
                    default -> {
                        err.println("lsmlog-sql: unknown argument " + args[i] + " (see --help)");
                        return 2;
                    }
                }
            }
        } catch (IOException e) {
            err.println("lsmlog-sql: cannot read the script: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("lsmlog-sql: bad arguments: " + e.getMessage() + " (see --help)");
            return 2;
        }
        if (script == null) {
            err.println("lsmlog-sql: give -f script.sql or -e \"statements\" (see --help)");
            return 2;
        }
        TableEnvironment t =
                TableEnvironment.create(
                        batch
                                ? EnvironmentSettings.inBatchMode()
                                : EnvironmentSettings.inStreamingMode());
        if (!batch) {
            t.getConfig().set("execution.checkpointing.interval", "1s");
        }
        List<String> statements = split(script);
        for (int n = 0; n < statements.size(); n++) {
            String sql = statements.get(n);
            out.println("Flink SQL> " + sql + ";");
            try {
                TableResult r = t.executeSql(sql);
                if (r.getJobClient().isPresent()
                        && r.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT
                        && sql.trim().toUpperCase().startsWith("INSERT")) {
                    awaitInsert(r, timeout, out);
                } else if (r.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT) {
                    printWithTimeout(r, timeout, out);
                } else {
                    out.println("[INFO] ok");
                }
            } catch (Exception e) {
                err.println("lsmlog-sql: statement " + (n + 1) + " failed: " + sql);
                err.println(rootMessage(e));
                return 1;
            }
            out.println();
        }
        return 0;
    }

    private static void awaitInsert(TableResult r, Duration timeout, PrintStream out)
            throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Void> done =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                r.await();
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
        while (true) {
            try {
                done.get(1, TimeUnit.SECONDS);
                out.printf("[INFO] insert finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
                return;
            } catch (TimeoutException e) {
                double s = (System.nanoTime() - start) / 1e9;
                out.printf("[INFO] insert running, %.0f s%n", s);
                if (s > timeout.toSeconds()) {
                    r.getJobClient().get().cancel().get(30, TimeUnit.SECONDS);
                    out.println(
                            "[INFO] insert stopped after the "
                                    + timeout.toSeconds()
                                    + " s timeout");
                    return;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw (e.getCause() instanceof RuntimeException re
                                && re.getCause() instanceof Exception inner)
                        ? inner
                        : e;
            }
        }
    }

    /** Prints a query's rows as a table (Flink's tableau layout, with the change kind). */
    private static void printWithTimeout(TableResult r, Duration timeout, PrintStream out)
            throws Exception {
        List<String> names = r.getResolvedSchema().getColumnNames();
        List<String[]> rows = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> collected =
                CompletableFuture.runAsync(
                        () -> {
                            try (org.apache.flink.util.CloseableIterator<org.apache.flink.types.Row>
                                    it = r.collect()) {
                                while (it.hasNext()) {
                                    org.apache.flink.types.Row row = it.next();
                                    String[] cells = new String[names.size() + 1];
                                    cells[0] = row.getKind().shortString();
                                    for (int c = 0; c < names.size(); c++) {
                                        Object v = row.getField(c);
                                        cells[c + 1] =
                                                v == null
                                                        ? "<NULL>"
                                                        : v instanceof byte[] b
                                                                ? "x'"
                                                                        + java.util.HexFormat.of()
                                                                                .formatHex(b)
                                                                        + "'"
                                                                : v.toString();
                                    }
                                    rows.add(cells);
                                }
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
        boolean stopped = false;
        try {
            collected.get(timeout.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            stopped = true;
            if (r.getJobClient().isPresent()) {
                r.getJobClient().get().cancel().get(30, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c =
                    e.getCause() instanceof RuntimeException re && re.getCause() != null
                            ? re.getCause()
                            : e.getCause();
            throw c instanceof Exception ex ? ex : e;
        }
        List<String> header = new ArrayList<>();
        header.add("op");
        header.addAll(names);
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
        }
        List<String[]> snapshot;
        synchronized (rows) {
            snapshot = new ArrayList<>(rows);
        }
        for (String[] row : snapshot) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder border = new StringBuilder("+");
        for (int w : width) {
            border.append("-".repeat(w + 2)).append('+');
        }
        out.println(border);
        out.println(line(header.toArray(new String[0]), width));
        out.println(border);
        for (String[] row : snapshot) {
            out.println(line(row, width));
        }
        out.println(border);
        out.println(snapshot.size() + " rows in result");
        if (stopped) {
            out.println(
                    "[INFO] query stopped after the "
                            + timeout.toSeconds()
                            + " s timeout (an unbounded source?"
                            + " set 'scan.bounded.mode' or --timeout)");
        }
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder("|");
        for (int c = 0; c < width.length; c++) {
            sb.append(' ')
                    .append(" ".repeat(width[c] - cells[c].length()))
                    .append(cells[c])
                    .append(" |");
        }
        return sb.toString();
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(sb.length() == 0 ? "" : "\n  caused by: ")
                        .append(c.getClass().getSimpleName())
                        .append(": ")
                        .append(c.getMessage());
            }
        }
        return sb.toString();
    }

    /** Splits a script on ';' outside quotes, dropping -- comments and empty statements. */
    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (!quoted && c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
                while (i < script.length() && script.charAt(i) != '\n') {
                    i++;
                }
                cur.append('\n');
                continue;
            }
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                if (!cur.toString().isBlank()) {
                    out.add(cur.toString().trim());
                }
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().trim());
        }
        return out;
    }
}
