package io.lsmlog.flink.table;

import io.lsmlog.LogEntry;
import io.lsmlog.flink.source.LsmLogDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.flink.util.Collector;

/**
 * Decodes an entry's value with the table's format (if any value column is read), projects it (if
 * the format could not), and appends the requested metadata.
 */
final class RowDataEntryDeserializer implements LsmLogDeserializer<RowData> {
    private static final RowData NO_COLUMNS = new GenericRowData(0);
    @Nullable private final DeserializationSchema<RowData> value;
    @Nullable private final ValueLayout layout; // EXCEPT_KEY: the row from key and value
    @Nullable private final int[] projectAfterDecode;
    private final List<LsmLogMetadata> metadata;
    private final TypeInformation<RowData> producedType;

    /**
     * @param value the value decoder; null when no value column is read (values are not decoded)
     * @param projectAfterDecode the physical columns to keep of a decoded row; null: all of them
     */
    RowDataEntryDeserializer(
            @Nullable DeserializationSchema<RowData> value,
            @Nullable ValueLayout layout,
            @Nullable int[] projectAfterDecode,
            List<LsmLogMetadata> metadata,
            TypeInformation<RowData> producedType) {
        this.value = value;
        this.layout = layout;
        this.projectAfterDecode = projectAfterDecode;
        this.metadata = metadata;
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        if (value != null) {
            value.open(context);
        }
        if (layout != null) {
            layout.open(context);
        }
    }

    @Override
    public void deserialize(LogEntry entry, Collector<RowData> out) throws IOException {
        throw new IOException(
                "the segment of the entry is needed: call deserialize(entry, segment, out)");
    }

    @Override
    public void deserialize(LogEntry entry, int segment, Collector<RowData> out)
            throws IOException {
        if (entry.tombstone()) {
            return; // a delete has no row; an upsert table turns it into -D
        }
        if (value == null) {
            emit(NO_COLUMNS, entry, segment, out);
            return;
        }
        List<RowData> rows = new ArrayList<>(1);
        value.deserialize(
                entry.value(),
                new Collector<>() {
                    @Override
                    public void collect(RowData r) {
                        rows.add(r);
                    }

                    @Override
                    public void close() {}
                });
        for (RowData valueRow : rows) {
            RowData decoded = layout == null ? valueRow : layout.assemble(entry.key(), valueRow);
            RowData physical =
                    projectAfterDecode == null
                            ? decoded
                            : ProjectedRowData.from(projectAfterDecode).replaceRow(decoded);
            emit(physical, entry, segment, out);
        }
    }

    private void emit(RowData physical, LogEntry entry, int segment, Collector<RowData> out) {
        if (metadata.isEmpty()) {
            out.collect(physical);
            return;
        }
        GenericRowData meta = new GenericRowData(metadata.size());
        for (int i = 0; i < metadata.size(); i++) {
            meta.setField(i, metadata.get(i).read(entry, segment));
        }
        out.collect(new JoinedRowData(physical.getRowKind(), physical, meta));
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
