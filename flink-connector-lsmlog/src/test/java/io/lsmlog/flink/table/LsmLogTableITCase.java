package io.lsmlog.flink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.LogEntry;
import io.lsmlog.flink.MiniClusters;
import io.lsmlog.flink.TestLogs;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The 'lsmlog' SQL connector: DDL, INSERT through the sink, SELECT through the source. */
class LsmLogTableITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 2);

    @TempDir Path tmp;

    private static TableEnvironment tableEnv() {
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        t.getConfig().set("execution.checkpointing.interval", "200ms");
        // A failing job fails the test at once instead of restarting forever (the default
        // with checkpointing on).
        t.getConfig().set("restart-strategy.type", "none");
        t.getConfig().set("parallelism.default", "2");
        return t;
    }

    @Test
    void insertThenSelectWithMetadataColumns() throws Exception {
        Path dir = tmp.resolve("orders");
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE orders ("
                        + " customer STRING, amount INT,"
                        + " k BYTES METADATA FROM 'key',"
                        + " seq BIGINT METADATA FROM 'sequence' VIRTUAL,"
                        + " ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL"
                        + ") WITH ("
                        + " 'connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "', 'format' = 'json',"
                        + " 'scan.bounded.mode' = 'latest', 'sink.delivery-guarantee' = 'exactly-once')");
        t.executeSql(
                        "INSERT INTO orders SELECT customer, amount, CAST(customer AS BYTES) FROM (VALUES"
                                + " ('alice', 10), ('bob', 20), ('alice', 30), ('carol', 40)) AS v(customer, amount)")
                .await();

        List<LogEntry> entries = TestLogs.all(dir);
        assertThat(entries)
                .extracting(LogEntry::keyString)
                .containsExactlyInAnyOrder("alice", "bob", "alice", "carol");
        assertThat(entries)
                .extracting(LogEntry::valueString)
                .contains(
                        "{\"customer\":\"alice\",\"amount\":10}",
                        "{\"customer\":\"carol\",\"amount\":40}");

        List<Row> rows =
                SqlTests.collect(
                        t,
                        "SELECT customer, amount, CAST(k AS STRING), seq, ts FROM orders WHERE customer = 'alice'");
        assertThat(rows).hasSize(2);
        assertThat(rows).extracting(r -> r.getField(1)).containsExactly(10, 30);
        assertThat(rows).extracting(r -> r.getField(2)).containsOnly("alice");
        assertThat(rows)
                .extracting(r -> (Long) r.getField(3))
                .containsExactlyElementsOf(
                        entries.stream()
                                .filter(e -> e.keyString().equals("alice"))
                                .map(LogEntry::sequence)
                                .toList());
        assertThat(rows).allSatisfy(r -> assertThat(r.getField(4)).isNotNull());
    }

    @Test
    void keyFieldsMakeAColumnTheKeyAndKeyPrefixSelectsStreams() throws Exception {
        Path dir = tmp.resolve("events");
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE events (device STRING, reading DOUBLE) WITH ("
                        + " 'connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "', 'value.format' = 'json',"
                        + " 'key.fields' = 'device', 'scan.bounded.mode' = 'latest', 'scan.key-prefix' = 'sensor-')");
        t.executeSql(
                        "INSERT INTO events VALUES ('sensor-1', 1.5), ('pump-7', 9.0), ('sensor-2', 2.5), ('sensor-1', 3.5)")
                .await();
        assertThat(TestLogs.valuesByKey(TestLogs.all(dir)).keySet())
                .containsExactly("pump-7", "sensor-1", "sensor-2");
        List<Row> rows = SqlTests.collect(t, "SELECT device, reading FROM events");
        assertThat(rows)
                .extracting(r -> r.getField(0) + "=" + r.getField(1))
                .containsExactlyInAnyOrder("sensor-1=1.5", "sensor-2=2.5", "sensor-1=3.5");
    }

    @Test
    void keyPredicatesNarrowWhatIsRead() throws Exception {
        Path dir = tmp.resolve("kv");
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE kv (k STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "',"
                        + " 'format' = 'json', 'key.fields' = 'k', 'scan.bounded.mode' = 'latest')");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            values.append(i == 0 ? "" : ", ")
                    .append("('key-")
                    .append(i % 20)
                    .append("', ")
                    .append(i)
                    .append(")");
        }
        t.executeSql("INSERT INTO kv VALUES " + values).await();
        assertThat(SqlTests.collect(t, "SELECT v FROM kv WHERE k = 'key-7'"))
                .extracting(r -> r.getField(0))
                .containsExactly(7, 27, 47, 67, 87, 107, 127, 147, 167, 187);
        assertThat(SqlTests.collect(t, "SELECT k FROM kv WHERE k IN ('key-1', 'key-3')"))
                .hasSize(20);
        assertThat(SqlTests.collect(t, "SELECT k FROM kv WHERE k LIKE 'key-1%'"))
                .hasSize(110); // key-1, key-10..19
        assertThat(SqlTests.collect(t, "SELECT k FROM kv WHERE k >= 'key-18' AND k < 'key-3'"))
                .hasSize(30); // key-18, -19, -2
        assertThat(SqlTests.collect(t, "SELECT k FROM kv WHERE k = 'nope'")).isEmpty();
        // Proof that the predicate narrowed the read: an entry stored under another key whose value
        // claims k = 'key-7' passes the planner's filter but is never read.
        try (io.lsmlog.Log log = io.lsmlog.Log.open(io.lsmlog.LogConfig.builder(dir).build())) {
            log.append(List.of(io.lsmlog.Record.of("other", "{\"k\":\"key-7\",\"v\":999}")));
        }
        assertThat(SqlTests.collect(t, "SELECT v FROM kv WHERE k = 'key-7'"))
                .extracting(r -> r.getField(0))
                .doesNotContain(999);
        assertThat(SqlTests.collect(t, "SELECT v FROM kv WHERE v = 999"))
                .hasSize(1); // a full scan does read it
    }

    @Test
    void lookupJoinReturnsTheLatestEntryOfTheKey() throws Exception {
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE customers (id STRING, name STRING) WITH ('connector' = 'lsmlog', 'path' = '"
                        + tmp.resolve("customers")
                        + "', 'format' = 'json', 'key.fields' = 'id',"
                        + " 'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '100')");
        t.executeSql("INSERT INTO customers VALUES ('c1', 'Alice'), ('c2', 'Bob')").await();
        t.executeSql("INSERT INTO customers VALUES ('c1', 'Alice B')").await();
        t.executeSql(
                "CREATE TABLE orders2 (oid STRING, cid STRING, pt AS PROCTIME()) WITH ('connector' = 'lsmlog',"
                        + " 'path' = '"
                        + tmp.resolve("orders2")
                        + "', 'format' = 'json', 'key.fields' = 'oid',"
                        + " 'scan.bounded.mode' = 'latest')");
        t.executeSql("INSERT INTO orders2 VALUES ('o1', 'c1'), ('o2', 'c2'), ('o3', 'c9')").await();
        List<Row> rows =
                SqlTests.collect(
                        t,
                        "SELECT o.oid, c.name FROM orders2 AS o JOIN customers FOR SYSTEM_TIME AS OF o.pt AS c"
                                + " ON o.cid = c.id");
        assertThat(rows)
                .extracting(r -> r.getField(0) + "=" + r.getField(1))
                .containsExactlyInAnyOrder("o1=Alice B", "o2=Bob");
    }

    @Test
    void startupAndBoundedModesCutTheRead() throws Exception {
        Path dir = tmp.resolve("modes");
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE w (k STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "',"
                        + " 'format' = 'csv', 'key.fields' = 'k', 'scan.bounded.mode' = 'latest')");
        t.executeSql("INSERT INTO w VALUES ('a', 0), ('b', 1), ('c', 2), ('d', 3), ('e', 4)")
                .await();
        t.executeSql(
                "CREATE TABLE w2 (k STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "',"
                        + " 'format' = 'csv', 'scan.startup.mode' = 'sequence', 'scan.startup.sequence' = '1',"
                        + " 'scan.bounded.mode' = 'sequence', 'scan.bounded.sequence' = '4')");
        assertThat(SqlTests.collect(t, "SELECT v FROM w2"))
                .extracting(r -> r.getField(0))
                .containsExactlyInAnyOrder(1, 2, 3);
        t.executeSql(
                "CREATE TABLE w3 (k STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "',"
                        + " 'format' = 'csv', 'scan.startup.mode' = 'timestamp', 'scan.startup.timestamp-millis' = '"
                        + (System.currentTimeMillis() + 3_600_000)
                        + "', 'scan.bounded.mode' = 'latest')");
        assertThat(SqlTests.collect(t, "SELECT v FROM w3"))
                .as("nothing appended after a future time")
                .isEmpty();
    }

    @Test
    void batchModeReadsBoundedTablesAndRefusesUnboundedOnes() throws Exception {
        Path dir = tmp.resolve("batch");
        TableEnvironment s = tableEnv();
        s.executeSql(
                "CREATE TABLE x (k STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "',"
                        + " 'format' = 'json', 'key.fields' = 'k')");
        s.executeSql("INSERT INTO x VALUES ('a', 1), ('b', 2)").await();
        TableEnvironment b = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        b.executeSql(
                "CREATE TABLE bounded (k STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "',"
                        + " 'format' = 'json', 'scan.bounded.mode' = 'latest')");
        assertThat(SqlTests.collect(b, "SELECT SUM(v) FROM bounded"))
                .extracting(r -> r.getField(0))
                .containsExactly(3);
        b.executeSql(
                "CREATE TABLE unbounded (k STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "',"
                        + " 'format' = 'json')");
        assertThatThrownBy(() -> SqlTests.collect(b, "SELECT * FROM unbounded"))
                .hasStackTraceContaining("unbounded");
    }

    @Test
    void watermarksArePushedIntoTheSourceAndWindowsSeeEveryRow() throws Exception {
        Path dir = tmp.resolve("ev");
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE ev (k STRING, v INT, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',"
                        + " WATERMARK FOR ts AS ts - INTERVAL '1' HOUR) WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "',"
                        + " 'format' = 'json', 'key.fields' = 'k', 'scan.bounded.mode' = 'latest')");
        // Record timestamps written through the writable 'timestamp' column: two 1-minute windows.
        t.executeSql(
                        "INSERT INTO ev VALUES"
                                + " ('a', 1, TO_TIMESTAMP_LTZ(1700000000000, 3)), ('b', 2, TO_TIMESTAMP_LTZ(1700000010000, 3)),"
                                + " ('a', 3, TO_TIMESTAMP_LTZ(1700000070000, 3)), ('c', 4, TO_TIMESTAMP_LTZ(1700000005000, 3))")
                .await();
        assertThat(TestLogs.all(dir))
                .extracting(LogEntry::timestamp)
                .containsExactlyInAnyOrder(
                        1700000000000L, 1700000010000L, 1700000070000L, 1700000005000L);
        String query =
                "SELECT window_start, COUNT(*) AS n, SUM(v) AS total FROM TABLE("
                        + "TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end";
        assertThat(t.explainSql(query)).contains("watermark=[");
        assertThat(SqlTests.collect(t, query))
                .extracting(r -> r.getField(1) + "/" + r.getField(2))
                .containsExactlyInAnyOrder("3/7", "1/3");
    }

    @Test
    void theSegmentColumnTellsEachRowsSegment() throws Exception {
        Path dir = tmp.resolve("segs");
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE s (k STRING, v STRING, seq BIGINT METADATA FROM 'sequence' VIRTUAL,"
                        + " seg INT METADATA FROM 'segment' VIRTUAL) WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "',"
                        + " 'format' = 'json', 'key.fields' = 'k', 'scan.bounded.mode' = 'latest',"
                        + " 'segment.roll.bytes' = '1024', 'sink.batch.max-records' = '5')");
        for (int round = 0; round < 4; round++) {
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                values.append(i == 0 ? "" : ", ")
                        .append("('k")
                        .append(i % 3)
                        .append("', '")
                        .append("x".repeat(100))
                        .append("')");
            }
            t.executeSql("INSERT INTO s VALUES " + values).await();
        }
        java.util.List<io.lsmlog.Segment> segments;
        try (io.lsmlog.LogReader r =
                io.lsmlog.LogReader.open(io.lsmlog.LogConfig.builder(dir).build())) {
            segments = r.segments();
        }
        assertThat(segments.size()).isGreaterThan(2);
        List<Row> rows = SqlTests.collect(t, "SELECT seq, seg FROM s");
        assertThat(rows).hasSize(40);
        for (Row r : rows) {
            long seq = (Long) r.getField(0);
            int expected =
                    segments.stream()
                            .filter(g -> g.startSequence() <= seq)
                            .reduce((a, b) -> b)
                            .orElseThrow()
                            .id();
            assertThat(r.getField(1)).as("segment of sequence %d", seq).isEqualTo(expected);
        }
    }

    @Test
    void unknownOptionsAreRejected() {
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE u (x STRING) WITH ('connector' = 'lsmlog', 'path' = '"
                        + tmp
                        + "/u',"
                        + " 'format' = 'json', 'scan.startup.mod' = 'earliest')");
        assertThatThrownBy(() -> t.executeSql("SELECT * FROM u").collect().close())
                .hasStackTraceContaining("Unsupported options")
                .hasStackTraceContaining("scan.startup.mod");
    }

    @Test
    void lookupJoinSeesTheLogChangeBetweenQueries() throws Exception {
        TableEnvironment t = tableEnv();
        Path customers = tmp.resolve("customers2");
        t.executeSql(
                "CREATE TABLE cust (id STRING, tier STRING) WITH ('connector' = 'lsmlog', 'path' = '"
                        + customers
                        + "', 'format' = 'json', 'key.fields' = 'id')");
        t.executeSql("INSERT INTO cust VALUES ('c1', 'silver')").await();
        t.executeSql(
                "CREATE TABLE ord (oid STRING, cid STRING, pt AS PROCTIME()) WITH ('connector' = 'lsmlog',"
                        + " 'path' = '"
                        + tmp.resolve("ord")
                        + "', 'format' = 'json', 'key.fields' = 'oid',"
                        + " 'scan.bounded.mode' = 'latest')");
        t.executeSql("INSERT INTO ord VALUES ('o1', 'c1')").await();
        String join =
                "SELECT o.oid, c.tier FROM ord AS o JOIN cust FOR SYSTEM_TIME AS OF o.pt AS c ON o.cid = c.id";
        assertThat(SqlTests.collect(t, join))
                .extracting(r -> r.getField(1))
                .containsExactly("silver");
        // Another writer (this JVM, plain log-core) changes the customer: the next lookup sees it.
        try (io.lsmlog.Log log =
                io.lsmlog.Log.open(io.lsmlog.LogConfig.builder(customers).build())) {
            log.append(List.of(io.lsmlog.Record.of("c1", "{\"id\":\"c1\",\"tier\":\"gold\"}")));
        }
        assertThat(SqlTests.collect(t, join))
                .extracting(r -> r.getField(1))
                .containsExactly("gold");
    }

    @Test
    void badOptionsAreRejectedNamingTheOption() {
        TableEnvironment t = tableEnv();
        t.executeSql("CREATE TABLE a (x STRING) WITH ('connector' = 'lsmlog', 'format' = 'json')");
        assertThatThrownBy(() -> t.executeSql("SELECT * FROM a").collect().close())
                .hasStackTraceContaining("path");
        t.executeSql(
                "CREATE TABLE b (x STRING) WITH ('connector' = 'lsmlog', 'path' = '"
                        + tmp
                        + "/b', 'format' = 'json',"
                        + " 'scan.startup.mode' = 'sequence')");
        assertThatThrownBy(() -> t.executeSql("SELECT * FROM b").collect().close())
                .hasStackTraceContaining(
                        "option 'scan.startup.sequence' is required when the mode is 'sequence'");
        t.executeSql(
                "CREATE TABLE c (x STRING) WITH ('connector' = 'lsmlog', 'path' = '"
                        + tmp
                        + "/c', 'format' = 'json',"
                        + " 'scan.startup.mode' = 'sometime')");
        assertThatThrownBy(() -> t.executeSql("SELECT * FROM c").collect().close())
                .hasStackTraceContaining("scan.startup.mode");
        t.executeSql(
                "CREATE TABLE d (x INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + tmp
                        + "/d', 'format' = 'json')");
        assertThatThrownBy(() -> t.executeSql("INSERT INTO d VALUES (1)").await())
                .hasStackTraceContaining("lsmlog sink needs a key");
    }

    @Test
    void parallelismOptionsSetTheSourceAndSinkParallelism() throws Exception {
        TableEnvironment t = tableEnv(); // default parallelism 2
        String with = "'connector' = 'lsmlog', 'format' = 'json', 'key.fields' = 'k', 'path' = '";
        t.executeSql(
                "CREATE TABLE src (k STRING, v INT) WITH ("
                        + with
                        + tmp.resolve("src")
                        + "', 'scan.parallelism' = '1', 'scan.bounded.mode' = 'latest')");
        t.executeSql(
                "CREATE TABLE dst (k STRING, v INT) WITH ("
                        + with
                        + tmp.resolve("dst")
                        + "', 'sink.parallelism' = '1')");
        String plan =
                t.explainSql(
                        "INSERT INTO dst SELECT k, v FROM src",
                        org.apache.flink.table.api.ExplainDetail.JSON_EXECUTION_PLAN);
        assertThat(parallelismOf(plan, "Source: src")).isEqualTo(1);
        assertThat(parallelismOf(plan, "dst[")).isEqualTo(1);
        t.executeSql(
                "CREATE TABLE bad (k STRING, v INT) WITH ("
                        + with
                        + tmp.resolve("bad")
                        + "', 'scan.parallelism' = '0', 'scan.bounded.mode' = 'latest')");
        assertThatThrownBy(() -> t.explainSql("SELECT * FROM bad"))
                .hasStackTraceContaining("option 'scan.parallelism' must be at least 1, got 0");
    }

    /** The parallelism of the first JSON-plan node whose description contains {@code name}. */
    private static int parallelismOf(String jsonPlan, String name) {
        int at = jsonPlan.indexOf(name);
        assertThat(at).as("plan node %s in %s", name, jsonPlan).isNotNegative();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"parallelism\"\\s*:\\s*(\\d+)").matcher(jsonPlan);
        assertThat(m.find(at)).as("parallelism after %s", name).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
