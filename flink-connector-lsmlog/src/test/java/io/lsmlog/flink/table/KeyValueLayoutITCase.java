package io.lsmlog.flink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.KeyRange;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.LogReader;
import io.lsmlog.SeqRange;
import io.lsmlog.flink.MiniClusters;
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
 * {@code value.fields-include} and {@code key.fields-prefix}, as Kafka's connector spells them:
 * with EXCEPT_KEY the key columns live in the key only, and a read takes them from it.
 */
class KeyValueLayoutITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 2);

    @TempDir Path tmp;

    private static TableEnvironment tableEnv() {
        TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        t.getConfig().set("execution.checkpointing.interval", "200ms");
        t.getConfig().set("restart-strategy.type", "none");
        return t;
    }

    /** Each entry as key -> value, in sequence order. */
    private static List<String> entries(Path dir) {
        List<String> out = new ArrayList<>();
        try (LogReader r = LogReader.open(LogConfig.builder(dir).build());
                LogIterator it = r.scanBySequence(KeyRange.all(), SeqRange.all())) {
            while (it.hasNext()) {
                LogEntry e = it.next();
                out.add(e.keyString() + " -> " + (e.tombstone() ? "(deleted)" : e.valueString()));
            }
        }
        return out;
    }

    private static List<String> rows(TableEnvironment t, String query) throws Exception {
        return SqlTests.collect(t, query).stream().map(Row::toString).toList();
    }

    @Test
    void exceptKeyStoresTheKeyOnceAndReadsItBack() throws Exception {
        Path dir = tmp.resolve("raw");
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE t (k STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "', 'format' = 'json', 'key.fields' = 'k',"
                        + " 'value.fields-include' = 'EXCEPT_KEY', 'scan.bounded.mode' = 'latest')");
        t.executeSql("INSERT INTO t VALUES ('a', 1), ('b', 2)").await();
        assertThat(entries(dir)).containsExactly("a -> {\"v\":1}", "b -> {\"v\":2}");
        assertThat(rows(t, "SELECT k, v FROM t")).containsExactlyInAnyOrder("+I[a, 1]", "+I[b, 2]");
        assertThat(rows(t, "SELECT v FROM t WHERE k = 'b'")).containsExactly("+I[2]");
        assertThat(rows(t, "SELECT k FROM t")).containsExactlyInAnyOrder("+I[a]", "+I[b]");
    }

    @Test
    void aKeyFormatWithAPrefixAndAnUpsertTable() throws Exception {
        Path dir = tmp.resolve("json");
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE p (k_id STRING, k_region STRING, amount INT,"
                        + " PRIMARY KEY (k_id, k_region) NOT ENFORCED) WITH ('connector' = 'lsmlog',"
                        + " 'path' = '"
                        + dir
                        + "', 'format' = 'json', 'key.format' = 'json', 'key.fields-prefix' = 'k_',"
                        + " 'value.fields-include' = 'EXCEPT_KEY', 'scan.bounded.mode' = 'latest')");
        t.executeSql("INSERT INTO p VALUES ('1', 'eu', 5), ('2', 'us', 7)").await();
        t.executeSql("INSERT INTO p VALUES ('1', 'eu', 6)").await();
        assertThat(entries(dir))
                .containsExactly(
                        "{\"id\":\"1\",\"region\":\"eu\"} -> {\"amount\":5}",
                        "{\"id\":\"2\",\"region\":\"us\"} -> {\"amount\":7}",
                        "{\"id\":\"1\",\"region\":\"eu\"} -> {\"amount\":6}");
        List<String> changelog = rows(t, "SELECT k_id, k_region, amount FROM p");
        assertThat(changelog)
                .containsExactlyInAnyOrder(
                        "+I[1, eu, 5]", "+I[2, us, 7]", "-U[1, eu, 5]", "+U[1, eu, 6]");
        assertThat(changelog.indexOf("-U[1, eu, 5]")).isLessThan(changelog.indexOf("+U[1, eu, 6]"));
    }

    @Test
    void theOptionsAreCheckedAsKafkasAre() {
        TableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE a (k_id STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + tmp.resolve("a")
                        + "', 'format' = 'json', 'key.fields' = 'k_id', 'key.fields-prefix' = 'k_')");
        assertThatThrownBy(() -> t.executeSql("INSERT INTO a VALUES ('1', 1)").await())
                .hasStackTraceContaining(
                        "'key.fields-prefix' needs 'value.fields-include' = 'EXCEPT_KEY'");
        t.executeSql(
                "CREATE TABLE b (id STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + tmp.resolve("b")
                        + "', 'format' = 'json', 'key.fields' = 'id', 'key.fields-prefix' = 'k_',"
                        + " 'value.fields-include' = 'EXCEPT_KEY')");
        assertThatThrownBy(() -> t.executeSql("INSERT INTO b VALUES ('1', 1)").await())
                .hasStackTraceContaining(
                        "key column 'id' does not start with 'key.fields-prefix' 'k_'");
        t.executeSql(
                "CREATE TABLE c (id STRING, v INT) WITH ('connector' = 'lsmlog', 'path' = '"
                        + tmp.resolve("c")
                        + "', 'format' = 'json', 'value.fields-include' = 'EXCEPT_KEY')");
        assertThatThrownBy(() -> t.executeSql("INSERT INTO c VALUES ('1', 1)").await())
                .hasStackTraceContaining("'EXCEPT_KEY' needs key columns");
    }
}
