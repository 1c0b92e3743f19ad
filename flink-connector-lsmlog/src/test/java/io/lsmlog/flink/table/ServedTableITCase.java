package io.lsmlog.flink.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.KeyRange;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.SeqRange;
import io.lsmlog.flink.MiniClusters;
import io.lsmlog.server.LogServer;
import io.lsmlog.server.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables whose 'path' is a log server: exactly-once INSERT, a SELECT with the key pushed down and a
 * lookup join all go through the server (with a write token), none through the directory.
 */
class ServedTableITCase {
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(2, 1);

    @TempDir Path tmp;

    @Test
    void insertSelectAndLookupJoinThroughAServer() throws Exception {
        try (LogServer customers = serve("customers");
                LogServer orders = serve("orders")) {
            TableEnvironment t = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
            t.getConfig().set("execution.checkpointing.interval", "200ms");
            t.getConfig().set("restart-strategy.type", "none");
            t.getConfig().set("parallelism.default", "2");
            t.executeSql(
                    "CREATE TABLE customers (id STRING, name STRING) WITH ('connector' = 'lsmlog',"
                            + " 'path' = 'lsmlog://127.0.0.1:"
                            + customers.port()
                            + "', 'token' = 'w', 'format' = 'json', 'key.fields' = 'id',"
                            + " 'sink.delivery-guarantee' = 'exactly-once')");
            t.executeSql("INSERT INTO customers VALUES ('c1', 'Alice'), ('c2', 'Bob')").await();
            // A second job with the same sink id starts its checkpoints at 1 again: its commits
            // must not be taken for replays of the first job's.
            t.executeSql("INSERT INTO customers VALUES ('c1', 'Alice B')").await();
            t.executeSql(
                    "CREATE TABLE orders (oid STRING, cid STRING, pt AS PROCTIME()) WITH ("
                            + " 'connector' = 'lsmlog', 'path' = 'lsmlog://127.0.0.1:"
                            + orders.port()
                            + "', 'token' = 'w', 'format' = 'json', 'key.fields' = 'oid',"
                            + " 'scan.bounded.mode' = 'latest')");
            t.executeSql("INSERT INTO orders VALUES ('o1', 'c1'), ('o2', 'c2'), ('o3', 'c9')")
                    .await();

            assertThat(SqlTests.collect(t, "SELECT oid, cid FROM orders WHERE oid = 'o2'"))
                    .extracting(Row::toString)
                    .containsExactly("+I[o2, c2]");
            List<Row> joined =
                    SqlTests.collect(
                            t,
                            "SELECT o.oid, c.name FROM orders AS o JOIN customers FOR SYSTEM_TIME AS OF o.pt AS c"
                                    + " ON o.cid = c.id");
            assertThat(joined)
                    .extracting(r -> r.getField(0) + "=" + r.getField(1))
                    .containsExactlyInAnyOrder("o1=Alice B", "o2=Bob");
            // The rows are in the served log, exactly once.
            List<String> values = new ArrayList<>();
            try (LogIterator it = customers.log().scanBySequence(KeyRange.all(), SeqRange.all())) {
                it.forEachRemaining((LogEntry e) -> values.add(e.valueString()));
            }
            assertThat(values)
                    .containsExactly(
                            "{\"id\":\"c1\",\"name\":\"Alice\"}",
                            "{\"id\":\"c2\",\"name\":\"Bob\"}",
                            "{\"id\":\"c1\",\"name\":\"Alice B\"}");
            assertThat(customers.log().staging().list()).isEmpty();
        }
    }

    private LogServer serve(String name) {
        return LogServer.start(
                LogConfig.builder(tmp.resolve(name)).build(),
                ServerConfig.builder().port(0).writeTokens(Set.of("w")).build());
    }
}
