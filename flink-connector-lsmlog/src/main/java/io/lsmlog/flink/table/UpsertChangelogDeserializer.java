package io.lsmlog.flink.table;

import io.lsmlog.LogEntry;
import io.lsmlog.LogRead;
import io.lsmlog.flink.source.LsmLogDeserializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

/**
 * The source side of an upsert table: turns each key's entries into a full changelog — {@code +I}
 * for a key's first live value, {@code -U} (the previous value) and {@code +U} for a later one,
 * {@code -D} (the previous value) for a tombstone — so that Flink needs no {@code
 * ChangelogNormalize} (and none of its state) after the source. A reader sees each key's entries in
 * sequence order (its key lanes), so the previous value is the one it read last for the key; the
 * last {@value #CACHED_KEYS} keys' are kept, any other is read with one per-key lookup ({@link
 * LogRead#latestBefore}), which is also how a reader started from latest, a sequence or a restored
 * checkpoint finds values it never read.
 */
final class UpsertChangelogDeserializer implements LsmLogDeserializer<RowData> {
    static final int CACHED_KEYS = 10_000;

    private final RowDataEntryDeserializer rows;
    private transient LogRead log;
    private transient Map<ByteBuffer, Previous> previous;

    /** The entry a key's next one follows, and its segment (null entry: none, or deleted). */
    private record Previous(LogEntry entry, int segment) {
        boolean live() {
            return entry != null && !entry.tombstone();
        }
    }

    UpsertChangelogDeserializer(RowDataEntryDeserializer rows) {
        this.rows = rows;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        throw new IOException("an upsert table's source needs its log: open(context, log)");
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context, LogRead log)
            throws Exception {
        rows.open(context);
        this.log = log;
        this.previous =
                new LinkedHashMap<>(1024, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Previous> eldest) {
                        return size() > CACHED_KEYS;
                    }
                };
    }

    @Override
    public void deserialize(LogEntry entry, Collector<RowData> out) throws IOException {
        throw new IOException(
                "the segment of the entry is needed: call deserialize(entry, segment, out)");
    }

    @Override
    public void deserialize(LogEntry entry, int segment, Collector<RowData> out)
            throws IOException {
        ByteBuffer key = ByteBuffer.wrap(entry.key());
        Previous before = previous.get(key);
        if (before == null) {
            Optional<LogEntry> found = log.latestBefore(entry.key(), entry.sequence());
            before =
                    new Previous(
                            found.orElse(null), found.map(e -> segmentOf(e.sequence())).orElse(-1));
        }
        if (entry.tombstone()) {
            if (before.live()) {
                emit(before.entry(), before.segment(), RowKind.DELETE, out);
            }
        } else if (before.live()) {
            emit(before.entry(), before.segment(), RowKind.UPDATE_BEFORE, out);
            emit(entry, segment, RowKind.UPDATE_AFTER, out);
        } else {
            emit(entry, segment, RowKind.INSERT, out);
        }
        previous.put(key, new Previous(entry, segment));
    }

    private void emit(LogEntry entry, int segment, RowKind kind, Collector<RowData> out)
            throws IOException {
        rows.deserialize(
                entry,
                segment,
                new Collector<>() {
                    @Override
                    public void collect(RowData row) {
                        row.setRowKind(kind);
                        out.collect(row);
                    }

                    @Override
                    public void close() {}
                });
    }

    /** The id of the live segment holding a sequence (-1: before the first one). */
    private int segmentOf(long sequence) {
        java.util.List<io.lsmlog.Segment> segments = log.segments();
        int i = io.lsmlog.Segment.indexAt(segments, sequence);
        return i < 0 ? -1 : segments.get(i).id();
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return rows.getProducedType();
    }
}
