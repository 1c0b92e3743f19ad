package io.lsmlog.flink.table;

import io.lsmlog.LogEntry;
import io.lsmlog.flink.source.LsmLogDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.util.Collector;

/** Decodes an entry's value with the table's format and appends the requested metadata. */
final class RowDataEntryDeserializer implements LsmLogDeserializer<RowData> {
    private final DeserializationSchema<RowData> value;
    private final List<LsmLogMetadata> metadata;
    private final TypeInformation<RowData> producedType;

    RowDataEntryDeserializer(
            DeserializationSchema<RowData> value,
            List<LsmLogMetadata> metadata,
            TypeInformation<RowData> producedType) {
        this.value = value;
        this.metadata = metadata;
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        value.open(context);
    }

    @Override
    public void deserialize(LogEntry entry, Collector<RowData> out) throws IOException {
        throw new IOException(
                "the segment of the entry is needed: call deserialize(entry, segment, out)");
    }

    @Override
    public void deserialize(LogEntry entry, int segment, Collector<RowData> out)
            throws IOException {
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
        for (RowData physical : rows) {
            if (metadata.isEmpty()) {
                out.collect(physical);
                continue;
            }
            GenericRowData meta = new GenericRowData(metadata.size());
            for (int i = 0; i < metadata.size(); i++) {
                meta.setField(i, metadata.get(i).read(entry, segment));
            }
            JoinedRowData joined = new JoinedRowData(physical.getRowKind(), physical, meta);
            out.collect(joined);
        }
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
