package io.lsmlog.flink.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import io.lsmlog.flink.MiniClusters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables with a primary key: the log is keyed by it, the sink takes a changelog (deletes become
 * tombstones), the source emits a full changelog (no ChangelogNormalize), lookups see deletes.
 */
class UpsertTableITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 2);

    @TempDir Path tmp;

    private TableEnvironment tableEnv() {
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        t.getConfig().set("execution.checkpointing.interval", "200ms");
        t.getConfig().set("restart-strategy.type", "none");
        t.getConfig().set("parallelism.default", "2");
        return t;
    }

    private String table(String name, String columns, Path dir) {
        return "CREATE TABLE "
                + name
                + " ("
                + columns
                + ") WITH ('connector' = 'lsmlog', 'path' = '"
                + dir
                + "', 'format' = 'json', 'scan.bounded.mode' = 'latest')";
    }

    private static List<String> changelog(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(r.toString());
        }
        return out;
    }

    private static Map<String, List<String>> entries(Path dir) {
        Map<String, List<String>> out = new TreeMap<>();
        try (Log log = Log.open(LogConfig.builder(dir).build());
                LogIterator it = log.scanBySequence(KeyRange.all(), SeqRange.all())) {
            while (it.hasNext()) {
                LogEntry e = it.next();
                out.computeIfAbsent(e.keyString(), k -> new ArrayList<>())
                        .add(e.tombstone() ? "(deleted)" : e.valueString());
            }
        }
        return out;
    }

    @Test
    void theSourceEmitsAFullChangelogWithoutChangelogNormalize() throws Exception {
        Path dir = tmp.resolve("u");
        TableEnvironment t = tableEnv();
        t.executeSql(table("u", "k STRING, v INT, PRIMARY KEY (k) NOT ENFORCED", dir));
        t.executeSql("INSERT INTO u VALUES ('a', 1), ('b', 1)").await();
        t.executeSql("INSERT INTO u VALUES ('a', 2)").await();
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            log.append(List.of(Record.delete("b".getBytes(StandardCharsets.UTF_8))));
        }
        // The log is keyed by the primary key; a delete is a tombstone.
        assertThat(entries(dir))
                .containsEntry("a", List.of("{\"k\":\"a\",\"v\":1}", "{\"k\":\"a\",\"v\":2}"))
                .containsEntry("b", List.of("{\"k\":\"b\",\"v\":1}", "(deleted)"));

        List<String> rows = changelog(SqlTests.collect(t, "SELECT k, v FROM u"));
        // Per key in order; the two keys may interleave.
        assertThat(rows.stream().filter(r -> r.contains("a,")).toList())
                .containsExactly("+I[a, 1]", "-U[a, 1]", "+U[a, 2]");
        assertThat(rows.stream().filter(r -> r.contains("b,")).toList())
                .containsExactly("+I[b, 1]", "-D[b, 1]");

        String plan = t.explainSql("SELECT k, v FROM u");
        assertThat(plan).doesNotContain("ChangelogNormalize");
    }

    @Test
    void anAggregationWritesIntoAnUpsertTableAndDeletesPropagate() throws Exception {
        Path events = tmp.resolve("events");
        Path counts = tmp.resolve("counts");
        Path copy = tmp.resolve("copy");
        TableEnvironment t = tableEnv();
        t.executeSql(
                table("events", "k STRING, v INT", events)
                        .replace("'format' = 'json'", "'format' = 'json', 'key.fields' = 'k'"));
        t.executeSql(table("counts", "k STRING, n BIGINT, PRIMARY KEY (k) NOT ENFORCED", counts));
        t.executeSql("INSERT INTO events VALUES ('a', 1), ('b', 2), ('a', 3), ('a', 4)").await();
        // Failed before upsert tables: "doesn't support consuming update changes".
        t.executeSql("INSERT INTO counts SELECT k, COUNT(*) FROM events GROUP BY k").await();
        Map<String, List<String>> written = entries(counts);
        assertThat(written.get("a")).last().isEqualTo("{\"k\":\"a\",\"n\":3}");
        assertThat(written.get("b")).containsExactly("{\"k\":\"b\",\"n\":1}");

        try (Log log = Log.open(LogConfig.builder(counts).build())) {
            log.append(List.of(Record.delete("b".getBytes(StandardCharsets.UTF_8))));
        }
        // Upsert table to upsert table: the delete arrives as a delete and is written as one.
        t.executeSql(table("copy", "k STRING, n BIGINT, PRIMARY KEY (k) NOT ENFORCED", copy));
        t.executeSql("INSERT INTO copy SELECT k, n FROM counts").await();
        Map<String, List<String>> copied = entries(copy);
        assertThat(copied.get("a")).last().isEqualTo("{\"k\":\"a\",\"n\":3}");
        assertThat(copied.get("b")).last().isEqualTo("(deleted)");
    }

    @Test
    void aLookupJoinFindsNoRowForADeletedKey() throws Exception {
        Path customers = tmp.resolve("customers");
        Path orders = tmp.resolve("orders");
        TableEnvironment t = tableEnv();
        t.executeSql(
                table(
                        "customers",
                        "id STRING, name STRING, PRIMARY KEY (id) NOT ENFORCED",
                        customers));
        t.executeSql("INSERT INTO customers VALUES ('c1', 'Alice'), ('c2', 'Bob')").await();
        try (Log log = Log.open(LogConfig.builder(customers).build())) {
            log.append(List.of(Record.delete("c2".getBytes(StandardCharsets.UTF_8))));
        }
        t.executeSql(
                "CREATE TABLE orders (oid STRING, cid STRING, pt AS PROCTIME()) WITH ("
                        + " 'connector' = 'lsmlog', 'path' = '"
                        + orders
                        + "', 'format' = 'json', 'key.fields' = 'oid', 'scan.bounded.mode' = 'latest')");
        t.executeSql("INSERT INTO orders VALUES ('o1', 'c1'), ('o2', 'c2')").await();
        List<Row> joined =
                SqlTests.collect(
                        t,
                        "SELECT o.oid, c.name FROM orders AS o"
                                + " LEFT JOIN customers FOR SYSTEM_TIME AS OF o.pt AS c ON o.cid = c.id");
        assertThat(joined)
                .extracting(r -> r.getField(0) + "=" + r.getField(1))
                .containsExactlyInAnyOrder("o1=Alice", "o2=null");
    }
}
