package io.lsmlog.flink.table;

import io.lsmlog.LogEntry;
import io.lsmlog.LogRead;
import io.lsmlog.flink.internal.LogConfigHolder;
import io.lsmlog.flink.internal.SharedLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A lookup join against a log: for the key in the join row, the key's latest entry (its newest
 * sequence), decoded like a scan would. Reads through the shared {@link LogReader}, which catches
 * up with the writer every {@code readerRefreshInterval}.
 */
public final class LsmLogLookupFunction extends LookupFunction {
    private final LogConfigHolder log;
    private final RowDataEntryDeserializer deserializer;
    private final boolean keyIsString;
    private transient SharedLogs.Lease<LogRead> lease;

    LsmLogLookupFunction(
            LogConfigHolder log, RowDataEntryDeserializer deserializer, boolean keyIsString) {
        this.log = log;
        this.deserializer = deserializer;
        this.keyIsString = keyIsString;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        deserializer.open(
                new org.apache.flink.api.common.serialization.DeserializationSchema
                        .InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return context.getMetricGroup();
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return org.apache.flink.util.SimpleUserCodeClassLoader.create(
                                context.getUserCodeClassLoader());
                    }
                });
        lease = SharedLogs.reader(log);
    }

    @Override
    public Collection<RowData> lookup(RowData keyRow) throws IOException {
        if (keyRow.isNullAt(0)) {
            return List.of();
        }
        byte[] key =
                keyIsString
                        ? keyRow.getString(0).toString().getBytes(StandardCharsets.UTF_8)
                        : keyRow.getBinary(0);
        if (key.length == 0) {
            return List.of();
        }
        Optional<LogEntry> latest = lease.get().latest(key);
        if (latest.isEmpty() || latest.get().tombstone()) {
            return List.of(); // never written, or deleted
        }
        List<RowData> out = new ArrayList<>(1);
        deserializer.deserialize(
                latest.get(),
                segmentOf(latest.get().sequence()),
                new Collector<>() {
                    @Override
                    public void collect(RowData r) {
                        out.add(r);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    /** The id of the live segment holding a sequence (-1: before the first one). */
    private int segmentOf(long sequence) {
        java.util.List<io.lsmlog.Segment> segments = lease.get().segments();
        int i = io.lsmlog.Segment.indexAt(segments, sequence);
        return i < 0 ? -1 : segments.get(i).id();
    }

    @Override
    public void close() throws Exception {
        if (lease != null) {
            lease.close();
        }
    }
}
