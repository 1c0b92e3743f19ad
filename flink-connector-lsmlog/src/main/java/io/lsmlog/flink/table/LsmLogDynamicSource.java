package io.lsmlog.flink.table;

import io.lsmlog.KeyRange;
import io.lsmlog.LogConfig;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import io.lsmlog.flink.source.LsmLogSourceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

/** The scan side of an lsmlog table: LsmLogSource with the value decoded by the table's format. */
final class LsmLogDynamicSource
        implements ScanTableSource,
                org.apache.flink.table.connector.source.LookupTableSource,
                org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown,
                SupportsReadingMetadata,
                org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown {
    private final LogConfig log;
    private final DecodingFormat<DeserializationSchema<RowData>> valueFormat;
    private final DataType physicalType;
    private final LsmLogPosition start;
    @Nullable private final LsmLogPosition stop;
    private final KeyRange keys;
    @Nullable private final String keyColumn;
    private List<KeyRange> pushedKeys; // null: no key predicate was pushed
    @Nullable org.apache.flink.table.connector.source.lookup.cache.LookupCache lookupCache;

    @Nullable
    private org.apache.flink.api.common.eventtime.WatermarkStrategy<RowData> watermarkStrategy;

    private final long targetSplitBytes;
    private final Duration discoveryInterval;
    private List<LsmLogMetadata> metadata = List.of();
    private DataType producedType;

    LsmLogDynamicSource(
            LogConfig log,
            DecodingFormat<DeserializationSchema<RowData>> valueFormat,
            DataType physicalType,
            LsmLogPosition start,
            @Nullable LsmLogPosition stop,
            KeyRange keys,
            @Nullable String keyColumn,
            long targetSplitBytes,
            Duration discoveryInterval) {
        this.log = log;
        this.valueFormat = valueFormat;
        this.physicalType = physicalType;
        this.producedType = physicalType;
        this.start = start;
        this.stop = stop;
        this.keys = keys;
        this.keyColumn = keyColumn;
        this.targetSplitBytes = targetSplitBytes;
        this.discoveryInterval = discoveryInterval;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return valueFormat.getChangelogMode();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        DeserializationSchema<RowData> value =
                valueFormat.createRuntimeDecoder(context, physicalType);
        TypeInformation<RowData> produced = context.createTypeInformation(producedType);
        LsmLogSourceBuilder<RowData> b =
                LsmLogSource.<RowData>builder()
                        .setLogConfig(log)
                        .setKeyRanges(selection())
                        .setStartingPosition(start)
                        .setTargetSplitBytes(targetSplitBytes)
                        .setDiscoveryInterval(discoveryInterval)
                        .setDeserializer(new RowDataEntryDeserializer(value, metadata, produced));
        if (stop != null) {
            b.setBounded(stop);
        }
        LsmLogSource<RowData> source = b.build();
        if (watermarkStrategy == null) {
            return SourceProvider.of(source);
        }
        // A pushed-down watermark is generated per split inside the source, so one slow split
        // holds the watermark back instead of its entries becoming late.
        org.apache.flink.api.common.eventtime.WatermarkStrategy<RowData> strategy =
                watermarkStrategy;
        boolean bounded = stop != null;
        return new org.apache.flink.table.connector.source.DataStreamScanProvider() {
            @Override
            public org.apache.flink.streaming.api.datastream.DataStream<RowData> produceDataStream(
                    org.apache.flink.table.connector.ProviderContext providerContext,
                    org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env) {
                return env.fromSource(source, strategy, "lsmlog " + log.directory().getFileName());
            }

            @Override
            public boolean isBounded() {
                return bounded;
            }
        };
    }

    @Override
    public void applyWatermark(
            org.apache.flink.api.common.eventtime.WatermarkStrategy<RowData> strategy) {
        this.watermarkStrategy = strategy;
    }

    /**
     * Lookup joins on the key column ({@code key.fields}) return the key's latest entry; with
     * {@code lookup.cache = PARTIAL}, Flink's lookup cache options apply.
     */
    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        org.apache.flink.table.types.logical.RowType row =
                (org.apache.flink.table.types.logical.RowType) physicalType.getLogicalType();
        int[][] lookupKeys = context.getKeys();
        if (keyColumn == null
                || lookupKeys.length != 1
                || lookupKeys[0].length != 1
                || !row.getFieldNames().get(lookupKeys[0][0]).equals(keyColumn)) {
            throw new org.apache.flink.table.api.ValidationException(
                    "an lsmlog lookup join must join on exactly the key column set by 'key.fields'");
        }
        org.apache.flink.table.types.logical.LogicalTypeRoot t =
                row.getTypeAt(lookupKeys[0][0]).getTypeRoot();
        DeserializationSchema<RowData> value =
                valueFormat.createRuntimeDecoder(context, physicalType);
        RowDataEntryDeserializer d =
                new RowDataEntryDeserializer(
                        value, metadata, context.createTypeInformation(producedType));
        LsmLogLookupFunction fn =
                new LsmLogLookupFunction(
                        log,
                        d,
                        t == org.apache.flink.table.types.logical.LogicalTypeRoot.VARCHAR
                                || t == org.apache.flink.table.types.logical.LogicalTypeRoot.CHAR);
        if (lookupCache != null) {
            return org.apache.flink.table.connector.source.lookup.PartialCachingLookupProvider.of(
                    fn, lookupCache);
        }
        return org.apache.flink.table.connector.source.lookup.LookupFunctionProvider.of(fn);
    }

    /** The configured key range, narrowed by pushed-down key predicates. */
    private List<KeyRange> selection() {
        if (pushedKeys == null) {
            return List.of(keys);
        }
        List<KeyRange> r = KeyFilters.normalize(KeyFilters.intersect(List.of(keys), pushedKeys));
        return r.isEmpty() ? List.of(new KeyRange(new byte[0], new byte[0])) : r;
    }

    @Override
    public Result applyFilters(
            List<org.apache.flink.table.expressions.ResolvedExpression> filters) {
        if (keyColumn != null) {
            for (org.apache.flink.table.expressions.ResolvedExpression f : filters) {
                java.util.Optional<List<KeyRange>> r = KeyFilters.toRanges(f, keyColumn);
                if (r.isPresent()) {
                    pushedKeys =
                            pushedKeys == null
                                    ? r.get()
                                    : KeyFilters.intersect(pushedKeys, r.get());
                }
            }
        }
        // Every predicate stays with the planner too: pushing only narrows what is read.
        return Result.of(List.of(), filters);
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        Map<String, DataType> m = new LinkedHashMap<>();
        for (LsmLogMetadata md : LsmLogMetadata.values()) {
            m.put(md.key, md.type);
        }
        return m;
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        List<LsmLogMetadata> md = new ArrayList<>();
        for (String k : metadataKeys) {
            md.add(LsmLogMetadata.of(k));
        }
        this.metadata = md;
        this.producedType = producedDataType;
    }

    @Override
    public DynamicTableSource copy() {
        LsmLogDynamicSource c =
                new LsmLogDynamicSource(
                        log,
                        valueFormat,
                        physicalType,
                        start,
                        stop,
                        keys,
                        keyColumn,
                        targetSplitBytes,
                        discoveryInterval);
        c.metadata = metadata;
        c.producedType = producedType;
        c.pushedKeys = pushedKeys;
        c.lookupCache = lookupCache;
        c.watermarkStrategy = watermarkStrategy;
        return c;
    }

    @Override
    public String asSummaryString() {
        return "lsmlog(" + log.directory() + ")";
    }
}
