package io.lsmlog.flink.table;

import io.lsmlog.Record;
import io.lsmlog.flink.sink.LsmLogRecordSerializer;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Encodes a row: the value with the table's format (the physical columns come first in the row),
 * the key as described by a {@link KeyEncoding}, the timestamp from the {@code timestamp} metadata
 * column if there is one.
 */
final class RowDataRecordSerializer implements LsmLogRecordSerializer<RowData> {
    private final SerializationSchema<RowData> value;
    @Nullable private final int[] valueFields; // EXCEPT_KEY: the columns the value holds
    private final KeyEncoding key;
    private final int timestampPosition;
    private final boolean upsert;

    RowDataRecordSerializer(
            SerializationSchema<RowData> value,
            @Nullable int[] valueFields,
            KeyEncoding key,
            int timestampPosition,
            boolean upsert) {
        this.value = value;
        this.valueFields = valueFields;
        this.key = key;
        this.timestampPosition = timestampPosition;
        this.upsert = upsert;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context) throws Exception {
        value.open(context);
        if (key.format != null) {
            key.format.open(context);
        }
    }

    @Override
    public Record serialize(RowData row, @Nullable Long elementTimestamp) {
        long ts =
                timestampPosition >= 0 && !row.isNullAt(timestampPosition)
                        ? row.getTimestamp(timestampPosition, 3).getMillisecond()
                        : Record.NO_TIMESTAMP;
        if (upsert) {
            switch (row.getRowKind()) {
                case UPDATE_BEFORE:
                    return null; // the row an update replaces: its key's next entry says it all
                case DELETE:
                    return Record.delete(key.encode(row), ts);
                default:
                    break;
            }
        }
        RowData valueRow =
                valueFields == null ? row : ProjectedRowData.from(valueFields).replaceRow(row);
        return new Record(key.encode(row), value.serialize(valueRow), ts);
    }

    /**
     * How a row's key bytes are made: one STRING (UTF-8) or BYTES column taken as is, or the {@code
     * key.fields} columns encoded by the {@code key.format}.
     */
    static final class KeyEncoding implements Serializable {
        private final int position; // raw: the column; formatted: -1
        private final boolean isString;
        @Nullable private final SerializationSchema<RowData> format;
        @Nullable private final int[] fields;

        private KeyEncoding(
                int position,
                boolean isString,
                @Nullable SerializationSchema<RowData> format,
                @Nullable int[] fields) {
            this.position = position;
            this.isString = isString;
            this.format = format;
            this.fields = fields;
        }

        static KeyEncoding raw(int position, LogicalTypeRoot type) {
            return new KeyEncoding(
                    position,
                    type == LogicalTypeRoot.VARCHAR || type == LogicalTypeRoot.CHAR,
                    null,
                    null);
        }

        static KeyEncoding formatted(SerializationSchema<RowData> format, int[] fields) {
            return new KeyEncoding(-1, false, format, fields);
        }

        byte[] encode(RowData row) {
            if (format != null) {
                for (int f : fields) {
                    if (row.isNullAt(f)) {
                        throw new IllegalArgumentException(
                                "lsmlog sink: a key column is NULL; every row needs a key");
                    }
                }
                return format.serialize(ProjectedRowData.from(fields).replaceRow(row));
            }
            if (row.isNullAt(position)) {
                throw new IllegalArgumentException(
                        "lsmlog sink: the key column is NULL; every row needs a key");
            }
            return isString
                    ? row.getString(position).toString().getBytes(StandardCharsets.UTF_8)
                    : row.getBinary(position);
        }
    }
}
