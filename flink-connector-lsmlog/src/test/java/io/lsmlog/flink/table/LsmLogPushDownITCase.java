package io.lsmlog.flink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.Record;
import io.lsmlog.flink.MiniClusters;
import io.lsmlog.flink.TestLogs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Projection, limit and key-metadata push-downs, each proven by what the source reads: an entry
 * whose value is not JSON fails any query that decodes it, so a query that succeeds never decoded
 * it. The plain scan next to each shows the entry is there to be decoded.
 */
class LsmLogPushDownITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 2);

    private static final String POISON = "this is not json";

    @TempDir Path tmp;

    private static TableEnvironment batch() {
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        t.getConfig().set("parallelism.default", "2");
        return t;
    }

    /** Appends {@code n} JSON entries {"k":key,"v":i} per key, then one poisoned entry. */
    private static void write(Path dir, List<String> keys, int n, String poisonKey) {
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            List<Record> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (String k : keys) {
                    batch.add(Record.of(k, "{\"k\":\"" + k + "\",\"v\":" + i + "}"));
                }
            }
            log.append(batch);
            log.append(List.of(Record.of(poisonKey, POISON)));
        }
    }

    private static String table(String name, Path dir, String columns, String options) {
        return "CREATE TABLE "
                + name
                + " ("
                + columns
                + ") WITH ('connector' = 'lsmlog', 'path' = '"
                + dir
                + "', 'format' = 'json', 'scan.bounded.mode' = 'latest'"
                + options
                + ")";
    }

    @Test
    void aMetadataOnlyProjectionDecodesNoValue() throws Exception {
        Path dir = tmp.resolve("p");
        write(dir, List.of("a", "b", "c"), 100, "b");
        TableEnvironment t = batch();
        t.executeSql(
                table(
                        "p",
                        dir,
                        "k STRING, v INT, seq BIGINT METADATA FROM 'sequence' VIRTUAL,"
                                + " kb BYTES METADATA FROM 'key' VIRTUAL",
                        ", 'key.fields' = 'k'"));
        assertThat(t.explainSql("SELECT v FROM p")).contains("project=[v]");

        // COUNT(*) would not do: the planner keeps one physical column for it (project=[k]).
        assertThat(t.explainSql("SELECT COUNT(seq) FROM p"))
                .contains("project=[], metadata=[sequence]");
        assertThat(SqlTests.collect(t, "SELECT COUNT(seq) FROM p"))
                .extracting(r -> r.getField(0))
                .containsExactly(301L);
        List<Row> perKey =
                SqlTests.collect(
                        t, "SELECT CAST(kb AS STRING), COUNT(*), MAX(seq) FROM p GROUP BY kb");
        assertThat(perKey)
                .extracting(r -> r.getField(0) + "=" + r.getField(1))
                .containsExactlyInAnyOrder("a=100", "b=101", "c=100");
        assertThat(perKey)
                .filteredOn(r -> "b".equals(r.getField(0)))
                .extracting(r -> r.getField(2))
                .containsExactly(300L); // the poisoned entry is the last one appended
        assertThatThrownBy(() -> SqlTests.collect(t, "SELECT SUM(v) FROM p"))
                .as("reading a value column decodes the poisoned entry")
                .hasStackTraceContaining("Failed to deserialize JSON");
    }

    @Test
    void aLimitStopsEachReaderBeforeDecodingTheRest() throws Exception {
        Path dir = tmp.resolve("l");
        write(dir, List.of("a"), 1000, "a");
        TableEnvironment t = batch();
        t.executeSql(table("l", dir, "k STRING, v INT", ", 'key.fields' = 'k'"));
        assertThat(t.explainSql("SELECT v FROM l LIMIT 5")).contains("limit=[5]");

        List<Row> rows = SqlTests.collect(t, "SELECT v FROM l LIMIT 5");
        assertThat(rows).extracting(r -> r.getField(0)).containsExactly(0, 1, 2, 3, 4);
        assertThatThrownBy(() -> SqlTests.collect(t, "SELECT v FROM l"))
                .hasStackTraceContaining("Failed to deserialize JSON");
    }

    @Test
    void predicatesOnTheKeyMetadataColumnNarrowTheRead() throws Exception {
        Path dir = tmp.resolve("m");
        write(dir, List.of("key-1", "key-2", "key-3", "other-1"), 10, "poison");
        TableEnvironment t = batch();
        t.executeSql(table("m", dir, "v INT, k BYTES METADATA FROM 'key'", ""));
        t.executeSql(table("ms", dir, "v INT, k STRING METADATA FROM 'key'", ""));

        assertThat(SqlTests.collect(t, "SELECT SUM(v) FROM m WHERE CAST(k AS STRING) = 'key-2'"))
                .extracting(r -> r.getField(0))
                .containsExactly(45);
        assertThat(
                        SqlTests.collect(
                                t, "SELECT COUNT(v) FROM m WHERE CAST(k AS STRING) LIKE 'key-%'"))
                .extracting(r -> r.getField(0))
                .containsExactly(30L);
        assertThat(
                        SqlTests.collect(
                                t,
                                "SELECT COUNT(v) FROM m WHERE CAST(k AS STRING) IN ('key-1', 'other-1')"))
                .extracting(r -> r.getField(0))
                .containsExactly(20L);
        assertThat(SqlTests.collect(t, "SELECT COUNT(v) FROM m WHERE k = X'6B65792D33'")) // 'key-3'
                .extracting(r -> r.getField(0))
                .containsExactly(10L);
        assertThat(
                        SqlTests.collect(
                                t, "SELECT COUNT(v) FROM ms WHERE k >= 'key-2' AND k < 'key-3'"))
                .extracting(r -> r.getField(0))
                .containsExactly(10L);
        assertThatThrownBy(() -> SqlTests.collect(t, "SELECT COUNT(v) FROM m"))
                .hasStackTraceContaining("Failed to deserialize JSON");
    }

    @Test
    void explainShowsThePushedKeyAndSequencePredicates() {
        Path dir = tmp.resolve("e");
        write(dir, List.of("key-1"), 1, "poison");
        TableEnvironment t = batch();
        t.executeSql(
                table(
                        "e",
                        dir,
                        "k STRING, v INT, seq BIGINT METADATA FROM 'sequence' VIRTUAL",
                        ", 'key.fields' = 'k'"));
        // Was filter=[]: the pushed predicates did not show.
        assertThat(t.explainSql("SELECT v FROM e WHERE k = 'key-1' AND seq >= 5"))
                .containsPattern("filter=\\[and\\(=\\(k, _UTF-16LE'key-1'.*>=\\(seq, 5")
                .doesNotContain("filter=[]");
        // A predicate on a value column is not pushed: the scan's filter stays empty.
        assertThat(t.explainSql("SELECT v FROM e WHERE v = 3")).contains("filter=[]");
    }

    @Test
    void keyFormatEncodesTheKeyColumns() throws Exception {
        Path dir = tmp.resolve("kf");
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        t.getConfig().set("parallelism.default", "1");
        t.executeSql(
                table(
                        "kf",
                        dir,
                        "region STRING, id INT, amount INT",
                        ", 'key.fields' = 'region;id', 'key.format' = 'json'"));
        t.executeSql("INSERT INTO kf VALUES ('eu', 1, 10), ('us', 2, 20), ('eu', 1, 30)").await();

        List<LogEntry> entries = TestLogs.all(dir);
        assertThat(entries)
                .extracting(LogEntry::keyString)
                .containsExactlyInAnyOrder(
                        "{\"region\":\"eu\",\"id\":1}",
                        "{\"region\":\"eu\",\"id\":1}",
                        "{\"region\":\"us\",\"id\":2}");
        assertThat(entries)
                .extracting(LogEntry::valueString)
                .contains("{\"region\":\"us\",\"id\":2,\"amount\":20}");
        TableEnvironment b = batch();
        b.executeSql(
                table(
                        "kf",
                        dir,
                        "region STRING, id INT, amount INT",
                        ", 'key.fields' = 'region;id', 'key.format' = 'json'"));
        assertThat(SqlTests.collect(b, "SELECT region, SUM(amount) FROM kf GROUP BY region"))
                .extracting(r -> r.getField(0) + "=" + r.getField(1))
                .containsExactlyInAnyOrder("eu=40", "us=20");
        b.executeSql(table("bad", dir, "region STRING, id INT", ", 'key.fields' = 'region;id'"));
        assertThatThrownBy(() -> SqlTests.collect(b, "SELECT * FROM bad"))
                .hasStackTraceContaining("takes one column unless 'key.format' is set");
    }

    @Test
    void sequencePredicatesBecomeTheRangeRead() throws Exception {
        Path dir = tmp.resolve("s");
        try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(1024).build())) {
            log.append(List.of(Record.of("a", POISON))); // sequence 0
            for (int i = 1; i <= 100; i++) {
                log.append(List.of(Record.of("a", "{\"k\":\"a\",\"v\":" + i + "}")));
            }
            log.append(List.of(Record.of("a", POISON))); // sequence 101
        }
        TableEnvironment t = batch();
        t.executeSql(
                table(
                        "s",
                        dir,
                        "k STRING, v INT, seq BIGINT METADATA FROM 'sequence' VIRTUAL",
                        ", 'key.fields' = 'k'"));
        assertThat(SqlTests.collect(t, "SELECT SUM(v) FROM s WHERE seq >= 1 AND seq <= 100"))
                .extracting(r -> r.getField(0))
                .containsExactly(5050);
        assertThat(SqlTests.collect(t, "SELECT v FROM s WHERE seq BETWEEN 40 AND 42"))
                .extracting(r -> r.getField(0))
                .containsExactlyInAnyOrder(40, 41, 42);
        assertThat(SqlTests.collect(t, "SELECT v FROM s WHERE seq = 7 OR seq = 9"))
                .extracting(r -> r.getField(0))
                .containsExactlyInAnyOrder(7, 9); // the hull 7..9 is read; the planner filters
        assertThatThrownBy(() -> SqlTests.collect(t, "SELECT SUM(v) FROM s WHERE seq >= 1"))
                .as("the upper poison is read without an upper bound")
                .hasStackTraceContaining("Failed to deserialize JSON");
    }
}
