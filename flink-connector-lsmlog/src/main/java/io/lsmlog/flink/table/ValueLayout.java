package io.lsmlog.flink.table;

import java.io.Serializable;
import java.util.Arrays;
import javax.annotation.Nullable;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

/**
 * {@code 'value.fields-include' = 'EXCEPT_KEY'}: the value holds the non-key columns only, and a
 * read puts the row back together — the key columns from the entry key (raw bytes, or decoded with
 * the key format), the others from the value — in the table's column order.
 */
final class ValueLayout implements Serializable {
    private final int arity;
    private final int[] keyPositions;
    private final int[] valuePositions;
    private final RowData.FieldGetter[] keyGetters;
    private final RowData.FieldGetter[] valueGetters;
    @Nullable private final DeserializationSchema<RowData> keyFormat; // null: one raw column
    private final boolean rawKeyIsString;

    ValueLayout(
            RowType physical,
            int[] keyPositions,
            @Nullable DeserializationSchema<RowData> keyFormat) {
        this.arity = physical.getFieldCount();
        this.keyPositions = keyPositions.clone();
        this.valuePositions = valuePositions(arity, keyPositions);
        this.keyFormat = keyFormat;
        this.keyGetters = getters(physical, this.keyPositions);
        this.valueGetters = getters(physical, this.valuePositions);
        LogicalTypeRoot first = physical.getTypeAt(keyPositions[0]).getTypeRoot();
        this.rawKeyIsString = first == LogicalTypeRoot.VARCHAR || first == LogicalTypeRoot.CHAR;
    }

    /** The key row type as the key format sees it: the columns' names without the prefix. */
    static org.apache.flink.table.types.DataType stripPrefix(
            org.apache.flink.table.types.DataType keyRow, String prefix) {
        RowType row = (RowType) keyRow.getLogicalType();
        java.util.List<org.apache.flink.table.types.DataType> children = keyRow.getChildren();
        org.apache.flink.table.api.DataTypes.Field[] fields =
                new org.apache.flink.table.api.DataTypes.Field[children.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] =
                    org.apache.flink.table.api.DataTypes.FIELD(
                            row.getFieldNames().get(i).substring(prefix.length()), children.get(i));
        }
        org.apache.flink.table.types.DataType stripped =
                org.apache.flink.table.api.DataTypes.ROW(fields);
        return row.isNullable() ? stripped : stripped.notNull();
    }

    /** The physical columns that are not key columns, in order. */
    static int[] valuePositions(int arity, int[] keyPositions) {
        return java.util.stream.IntStream.range(0, arity)
                .filter(i -> Arrays.stream(keyPositions).noneMatch(k -> k == i))
                .toArray();
    }

    private static RowData.FieldGetter[] getters(RowType physical, int[] positions) {
        RowData.FieldGetter[] g = new RowData.FieldGetter[positions.length];
        for (int i = 0; i < positions.length; i++) {
            LogicalType t = physical.getTypeAt(positions[i]);
            g[i] = RowData.createFieldGetter(t, i);
        }
        return g;
    }

    void open(DeserializationSchema.InitializationContext context) throws Exception {
        if (keyFormat != null) {
            keyFormat.open(context);
        }
    }

    /** The table's row from an entry's key and its value row (the non-key columns). */
    RowData assemble(byte[] key, RowData value) throws java.io.IOException {
        GenericRowData row = new GenericRowData(value.getRowKind(), arity);
        for (int i = 0; i < valuePositions.length; i++) {
            row.setField(valuePositions[i], valueGetters[i].getFieldOrNull(value));
        }
        if (keyFormat == null) {
            row.setField(keyPositions[0], rawKeyIsString ? StringData.fromBytes(key) : key);
        } else {
            RowData k = keyFormat.deserialize(key);
            if (k == null) {
                throw new java.io.IOException("the key format decoded no row from an entry key");
            }
            for (int i = 0; i < keyPositions.length; i++) {
                row.setField(keyPositions[i], keyGetters[i].getFieldOrNull(k));
            }
        }
        return row;
    }
}
