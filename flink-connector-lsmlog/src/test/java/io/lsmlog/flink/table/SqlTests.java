package io.lsmlog.flink.table;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/** Helpers for the SQL integration tests. */
final class SqlTests {
    private SqlTests() {}

    /** Every row a query returns (the query must end: a bounded table or batch mode). */
    static List<Row> collect(TableEnvironment t, String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = t.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
