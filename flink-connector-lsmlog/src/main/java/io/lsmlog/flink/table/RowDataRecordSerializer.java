package io.lsmlog.flink.table;

import io.lsmlog.Record;
import io.lsmlog.flink.sink.LsmLogRecordSerializer;
import java.nio.charset.StandardCharsets;
import javax.annotation.Nullable;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Encodes a row: the value with the table's format (the physical columns come first in the row),
 * the key from the {@code key} metadata column or from the {@code key.fields} column, the timestamp
 * from the {@code timestamp} metadata column if there is one.
 */
final class RowDataRecordSerializer implements LsmLogRecordSerializer<RowData> {
    private final SerializationSchema<RowData> value;
    private final int keyPosition;
    private final boolean keyIsString;
    private final int timestampPosition;

    RowDataRecordSerializer(
            SerializationSchema<RowData> value,
            int keyPosition,
            LogicalTypeRoot keyType,
            int timestampPosition) {
        this.value = value;
        this.keyPosition = keyPosition;
        this.keyIsString = keyType == LogicalTypeRoot.VARCHAR || keyType == LogicalTypeRoot.CHAR;
        this.timestampPosition = timestampPosition;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context) throws Exception {
        value.open(context);
    }

    @Override
    public Record serialize(RowData row, @Nullable Long elementTimestamp) {
        if (row.isNullAt(keyPosition)) {
            throw new IllegalArgumentException(
                    "lsmlog sink: the key column is NULL; every row needs a key");
        }
        byte[] key =
                keyIsString
                        ? row.getString(keyPosition).toString().getBytes(StandardCharsets.UTF_8)
                        : row.getBinary(keyPosition);
        byte[] v = value.serialize(row);
        if (timestampPosition >= 0 && !row.isNullAt(timestampPosition)) {
            return new Record(key, v, row.getTimestamp(timestampPosition, 3).getMillisecond());
        }
        return new Record(key, v);
    }
}
