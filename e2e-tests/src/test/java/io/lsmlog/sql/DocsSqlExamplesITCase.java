package io.lsmlog.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.Record;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```sql} block of the README, docs/sql.md and docs/quickstart.md, run in order per
 * file with each table's path moved into a temporary directory; the results the docs state are
 * checked.
 */
class DocsSqlExamplesITCase {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SQL_BLOCK =
            Pattern.compile("(?m)^( *)```sql\\n(.*?)^ *```", Pattern.DOTALL);
    private static final Pattern PATH = Pattern.compile("'path' = '([^']*)'");

    @TempDir Path tmp;

    /** The sql blocks of a file, in order, as one script with paths under tmp. */
    private String script(String file) throws Exception {
        String text = Files.readString(ROOT.resolve(file));
        StringBuilder sql = new StringBuilder();
        Matcher m = SQL_BLOCK.matcher(text);
        while (m.find()) {
            sql.append(m.group(2)).append('\n');
        }
        assertThat(sql).as("sql blocks in %s", file).isNotEmpty();
        Matcher p = PATH.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (p.find()) {
            String dir = tmp.resolve(p.group(1).replaceAll("[^A-Za-z0-9]+", "_")).toString();
            p.appendReplacement(out, Matcher.quoteReplacement("'path' = '" + dir + "'"));
        }
        p.appendTail(out);
        return out.toString();
    }

    /** Runs each statement; returns the rows of each SELECT, in order. */
    private static List<List<String>> run(TableEnvironment t, String script) throws Exception {
        List<List<String>> selects = new ArrayList<>();
        for (String statement : statements(script)) {
            String s = statement.strip();
            if (s.toUpperCase().startsWith("SELECT")) {
                List<String> rows = new ArrayList<>();
                try (CloseableIterator<Row> it = t.executeSql(s).collect()) {
                    it.forEachRemaining(r -> rows.add(r.toString()));
                }
                selects.add(rows);
            } else {
                t.executeSql(s).await();
            }
        }
        return selects;
    }

    /**
     * The statements of the docs' blocks: they end with ';' at the end of a line and hold no ';' of
     * their own, so a line split is enough here (users run scripts through Flink's client).
     */
    private static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String code = line.replaceAll("--.*$", "");
            cur.append(code).append('\n');
            if (code.strip().endsWith(";")) {
                String s = cur.toString().strip();
                out.add(s.substring(0, s.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    private static TableEnvironment streaming() {
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        t.getConfig().set("execution.checkpointing.interval", "200ms");
        // A failing job fails the test at once instead of restarting forever (the default
        // with checkpointing on).
        t.getConfig().set("restart-strategy.type", "none");
        t.getConfig().set("table.local-time-zone", "UTC");
        return t;
    }

    @Test
    void readmeSql() throws Exception {
        List<List<String>> selects = run(streaming(), script("README.md"));
        assertThat(selects).hasSize(1);
        assertThat(selects.get(0)).hasSize(1);
        assertThat(selects.get(0).get(0)).startsWith("+I[alice, 10, ");
    }

    @Test
    void sqlGuide() throws Exception {
        List<List<String>> selects = run(streaming(), script("docs/sql.md"));
        assertThat(selects).hasSize(4);
        // The metadata-column example: alice's two orders, with her key.
        assertThat(selects.get(0)).hasSize(2).allMatch(r -> r.contains(", alice, "));
        assertThat(selects.get(0).get(0)).startsWith("+I[alice, 10, alice, ");
        // The lookup join: the latest entry of each customer.
        assertThat(selects.get(1)).containsExactlyInAnyOrder("+I[1, Ada Lovelace]", "+I[2, Grace]");
        // The upsert table: a full changelog, each key's rows in order.
        List<String> upserts = selects.get(2);
        assertThat(upserts)
                .containsExactlyInAnyOrder(
                        "+I[acc-1, 10]", "+I[acc-2, 5]", "-U[acc-1, 10]", "+U[acc-1, 25]");
        assertThat(upserts.indexOf("+I[acc-1, 10]")).isLessThan(upserts.indexOf("-U[acc-1, 10]"));
        assertThat(upserts.indexOf("-U[acc-1, 10]")).isLessThan(upserts.indexOf("+U[acc-1, 25]"));
        // The watermarked window.
        assertThat(selects.get(3)).hasSize(2);
        assertThat(selects.get(3).get(0)).contains("2026-01-01T10:00").endsWith(", 2]");
        assertThat(selects.get(3).get(1)).contains("2026-01-01T10:01").endsWith(", 1]");
    }

    @Test
    void quickstartSql() throws Exception {
        String script = script("docs/quickstart.md");
        Matcher p = PATH.matcher(script);
        assertThat(p.find()).isTrue();
        // The quickstart's log, with two orders of the customer its queries name.
        try (Log log = Log.open(LogConfig.builder(Path.of(p.group(1))).build())) {
            log.append(
                    List.of(
                            Record.of("customer-2011", "customer-2011,18"),
                            Record.of("customer-7", "customer-7,3"),
                            Record.of("customer-2011", "customer-2011,37")));
        }
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        t.getConfig().set("table.local-time-zone", "UTC");
        List<List<String>> selects = run(t, script);
        assertThat(selects).hasSize(4);
        assertThat(selects.get(0))
                .containsExactly("+I[customer-2011, 55, 2]", "+I[customer-7, 3, 1]");
        assertThat(selects.get(1)).containsExactly("+I[2, 55, 0, 2]");
        assertThat(selects.get(2)).containsExactly("+I[0, 18]", "+I[2, 37]");
        assertThat(selects.get(3)).hasSize(1).allMatch(r -> r.endsWith(", 3, 58]"));
    }
}
