package io.lsmlog.flink.table;

import static io.lsmlog.flink.table.LsmLogConnectorOptions.*;

import io.lsmlog.KeyRange;
import io.lsmlog.LogConfig;
import io.lsmlog.LogException;
import io.lsmlog.client.LogClient;
import io.lsmlog.flink.internal.LogConfigHolder;
import io.lsmlog.flink.source.LsmLogPosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

/** {@code 'connector' = 'lsmlog'}: a log as a Flink SQL table. */
public final class LsmLogDynamicTableFactory
        implements DynamicTableSourceFactory, DynamicTableSinkFactory {
    public static final String IDENTIFIER = "lsmlog";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(PATH);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(
                TOKEN,
                SCAN_RATE_LIMIT,
                KEY_FIELDS_PREFIX,
                VALUE_FIELDS_INCLUDE,
                FactoryUtil.FORMAT,
                VALUE_FORMAT,
                KEY_FIELDS,
                KEY_FORMAT,
                SCAN_STARTUP_MODE,
                SCAN_GROUP,
                SCAN_GROUP_FALLBACK,
                SCAN_STARTUP_SEQUENCE,
                SCAN_STARTUP_TIMESTAMP,
                SCAN_BOUNDED_MODE,
                SCAN_BOUNDED_SEQUENCE,
                SCAN_BOUNDED_TIMESTAMP,
                SCAN_KEY_PREFIX,
                SCAN_KEY_RANGE_START,
                SCAN_KEY_RANGE_END,
                SCAN_SPLIT_TARGET_SIZE,
                SCAN_DISCOVERY_INTERVAL,
                FactoryUtil.SOURCE_PARALLELISM,
                FactoryUtil.SINK_PARALLELISM,
                SINK_DELIVERY_GUARANTEE,
                SINK_ID,
                SINK_BATCH_MAX_RECORDS,
                SINK_BATCH_MAX_BYTES,
                SINK_BATCH_MAX_DELAY,
                SEGMENT_ROLL_INTERVAL,
                SEGMENT_ROLL_BYTES,
                RETENTION_MAX_AGE,
                RETENTION_MAX_BYTES,
                org.apache.flink.table.connector.source.lookup.LookupOptions.CACHE_TYPE,
                org.apache.flink.table.connector.source.lookup.LookupOptions
                        .PARTIAL_CACHE_EXPIRE_AFTER_ACCESS,
                org.apache.flink.table.connector.source.lookup.LookupOptions
                        .PARTIAL_CACHE_EXPIRE_AFTER_WRITE,
                org.apache.flink.table.connector.source.lookup.LookupOptions
                        .PARTIAL_CACHE_CACHE_MISSING_KEY,
                org.apache.flink.table.connector.source.lookup.LookupOptions
                        .PARTIAL_CACHE_MAX_ROWS);
    }

    private static LogConfigHolder logConfig(ReadableConfig o) {
        if (LogClient.isRemote(o.get(PATH))) {
            return LogConfigHolder.remote(o.get(PATH), o.getOptional(TOKEN).orElse(null));
        }
        try {
            LogConfig.Builder b =
                    LogConfig.builder(Path.of(o.get(PATH)))
                            .segmentRollInterval(o.get(SEGMENT_ROLL_INTERVAL))
                            .segmentRollBytes(o.get(SEGMENT_ROLL_BYTES));
            o.getOptional(RETENTION_MAX_AGE).ifPresent(b::retentionMaxAge);
            o.getOptional(RETENTION_MAX_BYTES).ifPresent(b::retentionMaxBytes);
            return LogConfigHolder.of(b.build());
        } catch (LogException e) {
            throw new ValidationException("invalid lsmlog table options: " + e.getMessage(), e);
        }
    }

    private static <T> T require(ReadableConfig o, ConfigOption<T> option, String mode) {
        return o.getOptional(option)
                .orElseThrow(
                        () ->
                                new ValidationException(
                                        "option '"
                                                + option.key()
                                                + "' is required when the mode is '"
                                                + mode
                                                + "'"));
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The {@code key.fields} columns' indexes in the physical row (empty without the option),
     * validated: they exist, and without a key format there is exactly one, of STRING or BYTES.
     */
    /**
     * The key columns: a primary key's (an upsert table: its columns are the entry key), else
     * {@code key.fields}. Both given, they must name the same columns.
     */
    private static List<String> keyFieldNames(ReadableConfig o, Context context) {
        List<String> declared = o.get(KEY_FIELDS);
        Optional<org.apache.flink.table.catalog.UniqueConstraint> pk =
                context.getCatalogTable().getResolvedSchema().getPrimaryKey();
        if (pk.isEmpty()) {
            return declared;
        }
        List<String> columns = pk.get().getColumns();
        if (!declared.isEmpty() && !declared.equals(columns)) {
            throw new ValidationException(
                    "option 'key.fields' "
                            + declared
                            + " differs from the primary key "
                            + columns
                            + ": an upsert table's key is its primary key (drop 'key.fields')");
        }
        return columns;
    }

    /**
     * {@code value.fields-include} and {@code key.fields-prefix}, validated as Kafka's connector
     * does: a prefix needs EXCEPT_KEY, EXCEPT_KEY needs key columns, the key columns carry the
     * prefix. True for EXCEPT_KEY.
     */
    private static boolean exceptKey(ReadableConfig o, List<String> keyNames) {
        boolean exceptKey = o.get(VALUE_FIELDS_INCLUDE) == ValueFieldsInclude.EXCEPT_KEY;
        String prefix = o.get(KEY_FIELDS_PREFIX);
        if (!prefix.isEmpty() && !exceptKey) {
            throw new ValidationException(
                    "option 'key.fields-prefix' needs 'value.fields-include' = 'EXCEPT_KEY'");
        }
        if (exceptKey && keyNames.isEmpty()) {
            throw new ValidationException(
                    "'value.fields-include' = 'EXCEPT_KEY' needs key columns: 'key.fields' or a primary key");
        }
        for (String k : keyNames) {
            if (!k.startsWith(prefix)) {
                throw new ValidationException(
                        "key column '"
                                + k
                                + "' does not start with 'key.fields-prefix' '"
                                + prefix
                                + "'");
            }
        }
        return exceptKey;
    }

    private static boolean isUpsert(Context context) {
        return context.getCatalogTable().getResolvedSchema().getPrimaryKey().isPresent();
    }

    private static int[] keyFieldIndexes(ReadableConfig o, List<String> names, RowType row) {
        int[] indexes = new int[names.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = row.getFieldNames().indexOf(names.get(i));
            if (indexes[i] < 0) {
                throw new ValidationException(
                        "option 'key.fields': no column '"
                                + names.get(i)
                                + "' in "
                                + row.getFieldNames());
            }
        }
        if (o.getOptional(KEY_FORMAT).isPresent()) {
            if (indexes.length == 0) {
                throw new ValidationException(
                        "option 'key.format' needs 'key.fields': the columns it encodes into the key");
            }
            return indexes;
        }
        if (indexes.length > 1) {
            throw new ValidationException(
                    "option 'key.fields' takes one column unless 'key.format' is set, got "
                            + names);
        }
        if (indexes.length == 1) {
            LogicalTypeRoot t = row.getTypeAt(indexes[0]).getTypeRoot();
            if (t != LogicalTypeRoot.VARCHAR
                    && t != LogicalTypeRoot.CHAR
                    && t != LogicalTypeRoot.VARBINARY
                    && t != LogicalTypeRoot.BINARY) {
                throw new ValidationException(
                        "option 'key.fields': column '"
                                + names.get(0)
                                + "' must be STRING or BYTES without 'key.format', is "
                                + row.getTypeAt(indexes[0]));
            }
        }
        return indexes;
    }

    /** The columns holding raw key bytes, which key predicates can be pushed down on. */
    private static KeyColumns keyColumns(ReadableConfig o, Context context) {
        List<String> fields = keyFieldNames(o, context);
        boolean raw = o.getOptional(KEY_FORMAT).map("raw"::equals).orElse(true);
        String rawKeyField = raw && fields.size() == 1 ? fields.get(0) : null;
        String metadataColumn = metadataColumn(context, LsmLogMetadata.KEY);
        return new KeyColumns(rawKeyField, metadataColumn);
    }

    /** The name of the column declared {@code METADATA FROM} the given key, or null. */
    private static String metadataColumn(Context context, LsmLogMetadata metadata) {
        for (org.apache.flink.table.catalog.Column c :
                context.getCatalogTable().getResolvedSchema().getColumns()) {
            if (c instanceof org.apache.flink.table.catalog.Column.MetadataColumn m
                    && m.getMetadataKey().orElse(m.getName()).equals(metadata.key)) {
                return m.getName();
            }
        }
        return null;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        DecodingFormat<DeserializationSchema<RowData>> format =
                helper.discoverOptionalDecodingFormat(
                                DeserializationFormatFactory.class, VALUE_FORMAT)
                        .or(
                                () ->
                                        helper.discoverOptionalDecodingFormat(
                                                DeserializationFormatFactory.class,
                                                FactoryUtil.FORMAT))
                        .orElseThrow(
                                () ->
                                        new ValidationException(
                                                "option 'format' (or 'value.format') is required, e.g. 'json', 'csv', 'raw'"));
        // The key format decodes keys for EXCEPT_KEY tables; discovering it validates its options.
        helper.discoverOptionalDecodingFormat(DeserializationFormatFactory.class, KEY_FORMAT);
        helper.validate();
        ReadableConfig o = helper.getOptions();
        keyFieldIndexes(
                o,
                keyFieldNames(o, context),
                (RowType) context.getPhysicalRowDataType().getLogicalType());
        LsmLogPosition start =
                switch (o.get(SCAN_STARTUP_MODE)) {
                    case EARLIEST -> LsmLogPosition.earliest();
                    case LATEST -> LsmLogPosition.latest();
                    case SEQUENCE ->
                            LsmLogPosition.sequence(require(o, SCAN_STARTUP_SEQUENCE, "sequence"));
                    case TIMESTAMP ->
                            LsmLogPosition.timestamp(
                                    require(o, SCAN_STARTUP_TIMESTAMP, "timestamp"));
                    case GROUP_POSITIONS ->
                            LsmLogPosition.group(
                                    o.getOptional(SCAN_GROUP)
                                            .orElseThrow(
                                                    () ->
                                                            new ValidationException(
                                                                    "'scan.startup.mode' = 'group-positions' needs"
                                                                            + " 'scan.group'")),
                                    o.get(SCAN_GROUP_FALLBACK)
                                                    == LsmLogConnectorOptions.GroupFallback.LATEST
                                            ? LsmLogPosition.latest()
                                            : LsmLogPosition.earliest());
                };
        LsmLogPosition stop =
                switch (o.get(SCAN_BOUNDED_MODE)) {
                    case UNBOUNDED -> null;
                    case LATEST -> LsmLogPosition.latest();
                    case SEQUENCE ->
                            LsmLogPosition.sequence(require(o, SCAN_BOUNDED_SEQUENCE, "sequence"));
                    case TIMESTAMP ->
                            LsmLogPosition.timestamp(
                                    require(o, SCAN_BOUNDED_TIMESTAMP, "timestamp"));
                };
        Optional<String> prefix = o.getOptional(SCAN_KEY_PREFIX);
        boolean range =
                o.getOptional(SCAN_KEY_RANGE_START).isPresent()
                        || o.getOptional(SCAN_KEY_RANGE_END).isPresent();
        if (prefix.isPresent() && range) {
            throw new ValidationException(
                    "set either 'scan.key-prefix' or 'scan.key-range.start'/'.end', not both");
        }
        KeyRange keys =
                prefix.map(KeyRange::prefix)
                        .orElseGet(
                                () ->
                                        range
                                                ? KeyRange.between(
                                                        utf8(
                                                                o.getOptional(SCAN_KEY_RANGE_START)
                                                                        .orElse(null)),
                                                        utf8(
                                                                o.getOptional(SCAN_KEY_RANGE_END)
                                                                        .orElse(null)))
                                                : KeyRange.all());
        if (o.get(SCAN_SPLIT_TARGET_SIZE) < 1024) {
            throw new ValidationException(
                    "option 'scan.split.target-size' must be at least 1024, got "
                            + o.get(SCAN_SPLIT_TARGET_SIZE));
        }
        LsmLogDynamicSource source =
                new LsmLogDynamicSource(
                        logConfig(o),
                        format,
                        context.getPhysicalRowDataType(),
                        start,
                        stop,
                        keys,
                        keyColumns(o, context),
                        o.get(SCAN_SPLIT_TARGET_SIZE),
                        o.get(SCAN_DISCOVERY_INTERVAL));
        source.parallelism = parallelism(o, FactoryUtil.SOURCE_PARALLELISM);
        source.upsert = isUpsert(context);
        double rate = o.getOptional(SCAN_RATE_LIMIT).orElse(0.0);
        if (rate < 0
                || Double.isNaN(rate)
                || (o.getOptional(SCAN_RATE_LIMIT).isPresent() && rate == 0)) {
            throw new ValidationException(
                    "option 'scan.rate-limit.records-per-second' must be > 0, got " + rate);
        }
        source.rateLimit = rate;
        source.commitToGroup = o.getOptional(SCAN_GROUP).orElse(null);
        List<String> keyNames = keyFieldNames(o, context);
        if (exceptKey(o, keyNames)) {
            source.exceptKey(
                    keyFieldIndexes(
                            o,
                            keyNames,
                            (RowType) context.getPhysicalRowDataType().getLogicalType()),
                    o.get(KEY_FIELDS_PREFIX),
                    helper.discoverOptionalDecodingFormat(
                                    DeserializationFormatFactory.class, KEY_FORMAT)
                            .orElse(null));
        }
        source.sequenceColumn = metadataColumn(context, LsmLogMetadata.SEQUENCE);
        if (o.get(org.apache.flink.table.connector.source.lookup.LookupOptions.CACHE_TYPE)
                == org.apache.flink.table.connector.source.lookup.LookupOptions.LookupCacheType
                        .PARTIAL) {
            source.lookupCache =
                    org.apache.flink.table.connector.source.lookup.cache.DefaultLookupCache
                            .fromConfig(o);
        }
        return source;
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        EncodingFormat<SerializationSchema<RowData>> keyFormat =
                helper.discoverOptionalEncodingFormat(SerializationFormatFactory.class, KEY_FORMAT)
                        .orElse(null);
        EncodingFormat<SerializationSchema<RowData>> format =
                helper.discoverOptionalEncodingFormat(
                                SerializationFormatFactory.class, VALUE_FORMAT)
                        .or(
                                () ->
                                        helper.discoverOptionalEncodingFormat(
                                                SerializationFormatFactory.class,
                                                FactoryUtil.FORMAT))
                        .orElseThrow(
                                () ->
                                        new ValidationException(
                                                "option 'format' (or 'value.format') is required, e.g. 'json', 'csv', 'raw'"));
        helper.validate();
        ReadableConfig o = helper.getOptions();
        DataType physical = context.getPhysicalRowDataType();
        int[] keyFields =
                keyFieldIndexes(o, keyFieldNames(o, context), (RowType) physical.getLogicalType());
        DeliveryGuarantee guarantee = o.get(SINK_DELIVERY_GUARANTEE);
        String sinkId =
                o.getOptional(SINK_ID).orElse(context.getObjectIdentifier().asSummaryString());
        LsmLogDynamicSink sink =
                new LsmLogDynamicSink(
                        logConfig(o),
                        format,
                        physical,
                        keyFields,
                        keyFormat,
                        guarantee,
                        sinkId,
                        o.get(SINK_BATCH_MAX_RECORDS),
                        o.get(SINK_BATCH_MAX_BYTES),
                        o.get(SINK_BATCH_MAX_DELAY));
        sink.parallelism = parallelism(o, FactoryUtil.SINK_PARALLELISM);
        sink.upsert = isUpsert(context);
        sink.exceptKey = exceptKey(o, keyFieldNames(o, context));
        sink.keyPrefix = o.get(KEY_FIELDS_PREFIX);
        return sink;
    }

    private static Integer parallelism(ReadableConfig o, ConfigOption<Integer> option) {
        Integer p = o.getOptional(option).orElse(null);
        if (p != null && p < 1) {
            throw new ValidationException(
                    "option '" + option.key() + "' must be at least 1, got " + p);
        }
        return p;
    }
}
