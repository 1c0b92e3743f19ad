package io.lsmlog.flink.table;

import io.lsmlog.flink.internal.LogConfigHolder;
import io.lsmlog.flink.sink.LsmLogSink;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

/** The write side of an lsmlog table: LsmLogSink with the value encoded by the table's format. */
final class LsmLogDynamicSink implements DynamicTableSink, SupportsWritingMetadata {
    private final LogConfigHolder log;
    private final EncodingFormat<SerializationSchema<RowData>> valueFormat;
    private final DataType physicalType;
    private final int[] keyFields; // the key.fields columns in the physical row; may be empty
    @Nullable private final EncodingFormat<SerializationSchema<RowData>> keyFormat;
    private final DeliveryGuarantee guarantee;
    private final String sinkId;
    private final int batchMaxRecords;
    private final long batchMaxBytes;
    private final Duration batchMaxDelay;
    private List<String> metadataKeys = List.of();
    @Nullable Integer parallelism; // 'sink.parallelism'; null: the input's
    boolean upsert; // a primary key: a changelog in, deletes as tombstones
    boolean exceptKey; // 'value.fields-include' = 'EXCEPT_KEY': no key columns in the value
    String keyPrefix = ""; // 'key.fields-prefix': left out of the key format's field names

    LsmLogDynamicSink(
            LogConfigHolder log,
            EncodingFormat<SerializationSchema<RowData>> valueFormat,
            DataType physicalType,
            int[] keyFields,
            @Nullable EncodingFormat<SerializationSchema<RowData>> keyFormat,
            DeliveryGuarantee guarantee,
            String sinkId,
            int batchMaxRecords,
            long batchMaxBytes,
            Duration batchMaxDelay) {
        this.log = log;
        this.valueFormat = valueFormat;
        this.physicalType = physicalType;
        this.keyFields = keyFields;
        this.keyFormat = keyFormat;
        this.guarantee = guarantee;
        this.sinkId = sinkId;
        this.batchMaxRecords = batchMaxRecords;
        this.batchMaxBytes = batchMaxBytes;
        this.batchMaxDelay = batchMaxDelay;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requested) {
        // An upsert table takes inserts, updates (their new values) and deletes, keyed by the
        // primary key; the rows before an update are not needed.
        // Rows that are only ever inserted are appended as they come (each a new value of its key).
        return upsert && !requested.containsOnly(org.apache.flink.types.RowKind.INSERT)
                ? ChangelogMode.upsert()
                : ChangelogMode.insertOnly();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        RowType row = (RowType) physicalType.getLogicalType();
        int physicalCount = row.getFieldCount();
        RowDataRecordSerializer.KeyEncoding key;
        if (keyFormat != null) {
            DataType keyType = Projection.of(keyFields).project(physicalType);
            if (!keyPrefix.isEmpty()) {
                keyType = ValueLayout.stripPrefix(keyType, keyPrefix);
            }
            key =
                    RowDataRecordSerializer.KeyEncoding.formatted(
                            keyFormat.createRuntimeEncoder(context, keyType), keyFields);
        } else if (keyFields.length == 1) {
            key =
                    RowDataRecordSerializer.KeyEncoding.raw(
                            keyFields[0], row.getTypeAt(keyFields[0]).getTypeRoot());
        } else if (metadataKeys.contains(LsmLogMetadata.KEY.key)) {
            key =
                    RowDataRecordSerializer.KeyEncoding.raw(
                            physicalCount + metadataKeys.indexOf(LsmLogMetadata.KEY.key),
                            LogicalTypeRoot.VARBINARY);
        } else {
            throw new ValidationException(
                    "lsmlog sink needs a key: declare a metadata column (`k BYTES METADATA FROM 'key'`)"
                            + " or set 'key.fields' to a STRING or BYTES column");
        }
        int tsPos =
                metadataKeys.contains(LsmLogMetadata.TIMESTAMP.key)
                        ? physicalCount + metadataKeys.indexOf(LsmLogMetadata.TIMESTAMP.key)
                        : -1;
        int[] valueFields = exceptKey ? ValueLayout.valuePositions(physicalCount, keyFields) : null;
        SerializationSchema<RowData> value =
                valueFormat.createRuntimeEncoder(
                        context,
                        valueFields == null
                                ? physicalType
                                : Projection.of(valueFields).project(physicalType));
        return SinkV2Provider.of(
                LsmLogSink.<RowData>builder()
                        .setLog(log)
                        .setDeliveryGuarantee(guarantee)
                        .setSinkId(sinkId)
                        .setBatchMaxRecords(batchMaxRecords)
                        .setBatchMaxBytes(batchMaxBytes)
                        .setBatchMaxDelay(batchMaxDelay)
                        .setSerializer(
                                new RowDataRecordSerializer(value, valueFields, key, tsPos, upsert))
                        .build(),
                parallelism);
    }

    @Override
    public Map<String, DataType> listWritableMetadata() {
        Map<String, DataType> m = new LinkedHashMap<>();
        for (LsmLogMetadata md : LsmLogMetadata.values()) {
            if (md.writable) {
                m.put(md.key, md.type);
            }
        }
        return m;
    }

    @Override
    public void applyWritableMetadata(List<String> metadataKeys, DataType consumedDataType) {
        this.metadataKeys = List.copyOf(metadataKeys);
    }

    @Override
    public DynamicTableSink copy() {
        LsmLogDynamicSink c =
                new LsmLogDynamicSink(
                        log,
                        valueFormat,
                        physicalType,
                        keyFields,
                        keyFormat,
                        guarantee,
                        sinkId,
                        batchMaxRecords,
                        batchMaxBytes,
                        batchMaxDelay);
        c.metadataKeys = metadataKeys;
        c.parallelism = parallelism;
        c.upsert = upsert;
        c.exceptKey = exceptKey;
        c.keyPrefix = keyPrefix;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LsmLogDynamicSink s
                && batchMaxRecords == s.batchMaxRecords
                && batchMaxBytes == s.batchMaxBytes
                && upsert == s.upsert
                && exceptKey == s.exceptKey
                && keyPrefix.equals(s.keyPrefix)
                && log.equals(s.log)
                // Formats seldom implement equals (JSON's is an anonymous class): their
                // options are the table's, compared with it, so the kind of format is enough.
                && valueFormat.getClass() == s.valueFormat.getClass()
                && physicalType.equals(s.physicalType)
                && Arrays.equals(keyFields, s.keyFields)
                && (keyFormat == null
                        ? s.keyFormat == null
                        : s.keyFormat != null && keyFormat.getClass() == s.keyFormat.getClass())
                && guarantee == s.guarantee
                && sinkId.equals(s.sinkId)
                && batchMaxDelay.equals(s.batchMaxDelay)
                && metadataKeys.equals(s.metadataKeys)
                && Objects.equals(parallelism, s.parallelism);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                log, physicalType, Arrays.hashCode(keyFields), guarantee, sinkId, upsert);
    }

    @Override
    public String asSummaryString() {
        return "lsmlog(" + log.directory() + ")";
    }
}
