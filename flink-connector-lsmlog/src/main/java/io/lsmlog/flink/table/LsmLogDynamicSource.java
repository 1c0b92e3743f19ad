package io.lsmlog.flink.table;

import io.lsmlog.KeyRange;
import io.lsmlog.flink.internal.LogConfigHolder;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import io.lsmlog.flink.source.LsmLogSourceBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.ProjectableDecodingFormat;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsLimitPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.PartialCachingLookupProvider;
import org.apache.flink.table.connector.source.lookup.cache.LookupCache;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

/**
 * The scan and lookup side of an lsmlog table: LsmLogSource with the value decoded by the table's
 * format. Push-downs narrow what is read: key predicates become key ranges, sequence predicates a
 * sequence range, a projection decodes only the selected columns (none at all when only metadata is
 * selected), a limit stops each reader early, and a watermark strategy runs per split inside the
 * source.
 */
final class LsmLogDynamicSource
        implements ScanTableSource,
                LookupTableSource,
                SupportsWatermarkPushDown,
                SupportsReadingMetadata,
                SupportsFilterPushDown,
                SupportsProjectionPushDown,
                SupportsLimitPushDown {
    private final LogConfigHolder log;
    private final DecodingFormat<DeserializationSchema<RowData>> valueFormat;
    private final DataType physicalType;
    private final LsmLogPosition start;
    @Nullable private final LsmLogPosition stop;
    private final KeyRange keys;
    private final KeyColumns keyColumns;
    private final long targetSplitBytes;
    private final Duration discoveryInterval;
    @Nullable LookupCache lookupCache;
    @Nullable Integer parallelism; // 'scan.parallelism'; null: the job's default
    boolean upsert; // a primary key: a full changelog out (+I, -U/+U, -D)
    double rateLimit; // 'scan.rate-limit.records-per-second' per reader; 0: none
    @Nullable String commitToGroup; // 'scan.group'
    // 'value.fields-include' = 'EXCEPT_KEY': key columns from the key (null: from the value)
    @Nullable private int[] exceptKeyFields;
    private String keyPrefix = "";
    @Nullable private DecodingFormat<DeserializationSchema<RowData>> keyFormat;
    @Nullable String sequenceColumn; // the column reading the 'sequence' metadata, if any

    // Set by the planner through the abilities above.
    @Nullable private List<KeyRange> pushedKeys; // null: no key predicate was pushed
    private SequenceFilters.Bounds pushedSequences = SequenceFilters.Bounds.ALL;
    @Nullable private WatermarkStrategy<RowData> watermarkStrategy;
    @Nullable private int[] projection; // physical columns read; null: all
    private long limit = Long.MAX_VALUE;
    private List<LsmLogMetadata> metadata = List.of();
    private DataType producedType;

    LsmLogDynamicSource(
            LogConfigHolder log,
            DecodingFormat<DeserializationSchema<RowData>> valueFormat,
            DataType physicalType,
            LsmLogPosition start,
            @Nullable LsmLogPosition stop,
            KeyRange keys,
            KeyColumns keyColumns,
            long targetSplitBytes,
            Duration discoveryInterval) {
        this.log = log;
        this.valueFormat = valueFormat;
        this.physicalType = physicalType;
        this.producedType = physicalType;
        this.start = start;
        this.stop = stop;
        this.keys = keys;
        this.keyColumns = keyColumns;
        this.targetSplitBytes = targetSplitBytes;
        this.discoveryInterval = discoveryInterval;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        // Every kind, the rows before updates included: Flink needs no ChangelogNormalize.
        return upsert ? ChangelogMode.all() : valueFormat.getChangelogMode();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        LsmLogSourceBuilder<RowData> b =
                LsmLogSource.<RowData>builder()
                        .setLog(log)
                        .setKeyRanges(selection())
                        .setStartingPosition(start)
                        .setTargetSplitBytes(targetSplitBytes)
                        .setDiscoveryInterval(discoveryInterval)
                        .setRecordLimit(limit)
                        .setRateLimit(rateLimit)
                        .setDeserializer(
                                upsert
                                        ? new UpsertChangelogDeserializer(deserializer(context))
                                        : deserializer(context));
        if (stop != null) {
            b.setBounded(stop);
        }
        if (commitToGroup != null) {
            b.setCommitToGroup(commitToGroup);
        }
        if (!pushedSequences.equals(SequenceFilters.Bounds.ALL)) {
            // An unbounded table stays unbounded: its stop is not narrowed.
            long from = pushedSequences.from();
            long to = stop == null ? Long.MAX_VALUE : Math.max(from, pushedSequences.to());
            b.setSequenceBounds(from, to);
        }
        LsmLogSource<RowData> source = b.build();
        if (watermarkStrategy == null) {
            return SourceProvider.of(source, parallelism);
        }
        // A pushed-down watermark is generated per split inside the source, so one slow split
        // holds the watermark back instead of its entries becoming late.
        WatermarkStrategy<RowData> strategy = watermarkStrategy;
        boolean bounded = stop != null;
        Integer p = parallelism;
        return new DataStreamScanProvider() {
            @Override
            public DataStream<RowData> produceDataStream(
                    ProviderContext providerContext, StreamExecutionEnvironment env) {
                var stream = env.fromSource(source, strategy, "lsmlog " + log.displayName());
                return p == null ? stream : stream.setParallelism(p);
            }

            @Override
            public boolean isBounded() {
                return bounded;
            }
        };
    }

    /**
     * Decodes only the projected columns: through the format if it can project, otherwise by
     * projecting the decoded row; not at all if no value column is selected and the format is
     * insert-only (a row kind would otherwise be lost).
     */
    /** The value holds the other columns only; the key columns are read from the key. */
    void exceptKey(
            int[] keyFields,
            String prefix,
            @Nullable DecodingFormat<DeserializationSchema<RowData>> keyFormat) {
        this.exceptKeyFields = keyFields;
        this.keyPrefix = prefix;
        this.keyFormat = keyFormat;
    }

    private RowDataEntryDeserializer deserializer(DynamicTableSource.Context context) {
        if (exceptKeyFields != null) {
            return exceptKeyDeserializer(context);
        }
        DeserializationSchema<RowData> value;
        int[] projectAfterDecode = null;
        if (projection == null) {
            value = valueFormat.createRuntimeDecoder(context, physicalType);
        } else if (projection.length == 0
                && valueFormat.getChangelogMode().containsOnly(RowKind.INSERT)) {
            value = null;
        } else if (valueFormat instanceof ProjectableDecodingFormat<?>) {
            @SuppressWarnings("unchecked")
            ProjectableDecodingFormat<DeserializationSchema<RowData>> p =
                    (ProjectableDecodingFormat<DeserializationSchema<RowData>>) valueFormat;
            value =
                    p.createRuntimeDecoder(
                            context, physicalType, Projection.of(projection).toNestedIndexes());
        } else {
            value = valueFormat.createRuntimeDecoder(context, physicalType);
            projectAfterDecode = projection;
        }
        return new RowDataEntryDeserializer(
                value,
                null,
                projectAfterDecode,
                metadata,
                context.createTypeInformation(producedType));
    }

    /** Decodes the value's columns and the key's, puts the row together, then projects it. */
    private RowDataEntryDeserializer exceptKeyDeserializer(DynamicTableSource.Context context) {
        RowType physical = (RowType) physicalType.getLogicalType();
        int[] valueFields = ValueLayout.valuePositions(physical.getFieldCount(), exceptKeyFields);
        DeserializationSchema<RowData> value =
                valueFormat.createRuntimeDecoder(
                        context, Projection.of(valueFields).project(physicalType));
        DeserializationSchema<RowData> key = null;
        if (keyFormat != null) {
            DataType keyType = Projection.of(exceptKeyFields).project(physicalType);
            if (!keyPrefix.isEmpty()) {
                keyType = ValueLayout.stripPrefix(keyType, keyPrefix);
            }
            key = keyFormat.createRuntimeDecoder(context, keyType);
        }
        return new RowDataEntryDeserializer(
                value,
                new ValueLayout(physical, exceptKeyFields, key),
                projection,
                metadata,
                context.createTypeInformation(producedType));
    }

    @Override
    public void applyWatermark(WatermarkStrategy<RowData> strategy) {
        this.watermarkStrategy = strategy;
    }

    /**
     * Lookup joins on the raw key column ({@code key.fields}) return the key's latest entry; with
     * {@code lookup.cache = PARTIAL}, Flink's lookup cache options apply.
     */
    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        RowType row = (RowType) physicalType.getLogicalType();
        int[][] lookupKeys = context.getKeys();
        String rawKey = keyColumns.rawKeyField();
        if (rawKey == null
                || lookupKeys.length != 1
                || lookupKeys[0].length != 1
                || !row.getFieldNames().get(lookupKeys[0][0]).equals(rawKey)) {
            throw new ValidationException(
                    "an lsmlog lookup join must join on exactly the key column set by 'key.fields'"
                            + " (with no 'key.format' or 'key.format' = 'raw')");
        }
        LogicalTypeRoot t = row.getTypeAt(lookupKeys[0][0]).getTypeRoot();
        LsmLogLookupFunction fn =
                new LsmLogLookupFunction(
                        log,
                        deserializer(context),
                        t == LogicalTypeRoot.VARCHAR || t == LogicalTypeRoot.CHAR);
        if (lookupCache != null) {
            return PartialCachingLookupProvider.of(fn, lookupCache);
        }
        return LookupFunctionProvider.of(fn);
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
    public Result applyFilters(List<ResolvedExpression> filters) {
        List<ResolvedExpression> accepted = new ArrayList<>();
        for (ResolvedExpression f : filters) {
            Optional<List<KeyRange>> r = KeyFilters.toRanges(f, keyColumns);
            if (r.isPresent()) {
                pushedKeys =
                        pushedKeys == null ? r.get() : KeyFilters.intersect(pushedKeys, r.get());
                accepted.add(f);
            }
            Optional<SequenceFilters.Bounds> b = SequenceFilters.toBounds(f, sequenceColumn);
            if (b.isPresent()) {
                pushedSequences = pushedSequences.intersect(b.get());
                if (!accepted.contains(f)) {
                    accepted.add(f);
                }
            }
        }
        // The key and sequence predicates narrow the read, and EXPLAIN shows them as the scan's
        // filter; every predicate stays with the planner too (a pushed range may be a hull).
        return Result.of(accepted, filters);
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projectedFields, DataType producedDataType) {
        this.projection = Projection.of(projectedFields).toTopLevelIndexes();
        this.producedType = producedDataType;
    }

    @Override
    public void applyLimit(long limit) {
        this.limit = limit;
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
                        keyColumns,
                        targetSplitBytes,
                        discoveryInterval);
        c.metadata = metadata;
        c.producedType = producedType;
        c.pushedKeys = pushedKeys;
        c.lookupCache = lookupCache;
        c.parallelism = parallelism;
        c.upsert = upsert;
        c.rateLimit = rateLimit;
        c.commitToGroup = commitToGroup;
        c.exceptKeyFields = exceptKeyFields;
        c.keyPrefix = keyPrefix;
        c.keyFormat = keyFormat;
        c.sequenceColumn = sequenceColumn;
        c.pushedSequences = pushedSequences;
        c.watermarkStrategy = watermarkStrategy;
        c.projection = projection;
        c.limit = limit;
        return c;
    }

    @Override
    public String asSummaryString() {
        return "lsmlog(" + log.directory() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LsmLogDynamicSource s
                && targetSplitBytes == s.targetSplitBytes
                && limit == s.limit
                && upsert == s.upsert
                && rateLimit == s.rateLimit
                && java.util.Objects.equals(commitToGroup, s.commitToGroup)
                && Arrays.equals(exceptKeyFields, s.exceptKeyFields)
                && keyPrefix.equals(s.keyPrefix)
                && log.equals(s.log)
                // Formats seldom implement equals (JSON's is an anonymous class): their
                // options are the table's, compared with it, so the kind of format is enough.
                && valueFormat.getClass() == s.valueFormat.getClass()
                && physicalType.equals(s.physicalType)
                && producedType.equals(s.producedType)
                && start.equals(s.start)
                && Objects.equals(stop, s.stop)
                && keys.equals(s.keys)
                && keyColumns.equals(s.keyColumns)
                && discoveryInterval.equals(s.discoveryInterval)
                && Objects.equals(lookupCache, s.lookupCache)
                && Objects.equals(parallelism, s.parallelism)
                && Objects.equals(sequenceColumn, s.sequenceColumn)
                && Objects.equals(pushedKeys, s.pushedKeys)
                && pushedSequences.equals(s.pushedSequences)
                && Objects.equals(watermarkStrategy, s.watermarkStrategy)
                && Arrays.equals(projection, s.projection)
                && metadata.equals(s.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                log, physicalType, start, stop, keys, pushedKeys, pushedSequences, limit);
    }
}
