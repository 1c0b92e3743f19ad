package io.lsmlog.flink.table;

import static org.apache.flink.configuration.description.TextElement.text;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Every option of the {@code 'connector' = 'lsmlog'} table connector. */
public final class LsmLogConnectorOptions {
    private LsmLogConnectorOptions() {}

    public static final ConfigOption<String> PATH =
            ConfigOptions.key("path")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The log directory, or a log server's URI: lsmlog://host:port"
                                    + " (lsmlogs:// for TLS) (required).");

    public static final ConfigOption<String> TOKEN =
            ConfigOptions.key("token")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Bearer token for a log server that needs one.");

    public static final ConfigOption<String> VALUE_FORMAT =
            ConfigOptions.key("value.format")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Format of the entry values, e.g. json, csv, raw (alias of 'format').");

    public static final ConfigOption<List<String>> KEY_FIELDS =
            ConfigOptions.key("key.fields")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "The columns that make the entry key: without 'key.format', one STRING or BYTES"
                                    + " column whose value is the key (as raw bytes); with it, the columns"
                                    + " encoded by that format. The columns stay in the value too."
                                    + " Without 'key.fields', declare a 'key' metadata column.");

    public static final ConfigOption<Double> SCAN_RATE_LIMIT =
            ConfigOptions.key("scan.rate-limit.records-per-second")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription(
                            "At most this many records per second from each source reader (Flink's"
                                    + " RateLimiterStrategy.perSecond); unset: no limit.");

    public static final ConfigOption<String> KEY_FIELDS_PREFIX =
            ConfigOptions.key("key.fields-prefix")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "A prefix of the key columns' names that the key format does not see (e.g. 'k_'"
                                    + " for a column k_id encoded as id), as Kafka's connector has it; needs"
                                    + " 'value.fields-include' = 'EXCEPT_KEY'.");

    /** Which columns a value holds. */
    public enum ValueFieldsInclude {
        /** Every physical column, the key columns too (the default). */
        ALL,
        /** Every physical column but the key columns: a read takes those from the key. */
        EXCEPT_KEY
    }

    public static final ConfigOption<ValueFieldsInclude> VALUE_FIELDS_INCLUDE =
            ConfigOptions.key("value.fields-include")
                    .enumType(ValueFieldsInclude.class)
                    .defaultValue(ValueFieldsInclude.ALL)
                    .withDescription(
                            "ALL: the value holds every column; EXCEPT_KEY: the key columns are stored in"
                                    + " the key only (not again in every value).");

    public static final ConfigOption<String> KEY_FORMAT =
            ConfigOptions.key("key.format")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Format that encodes the 'key.fields' columns into the key, e.g. json, csv, raw."
                                    + " Default: the single key column's raw bytes. Key predicates and lookup"
                                    + " joins work on the raw key only.");

    /** Where a scan starts. */
    public enum StartupMode implements DescribedEnum {
        EARLIEST("earliest", "From the first entry."),
        LATEST("latest", "From the frontier when the job starts."),
        SEQUENCE("sequence", "From 'scan.startup.sequence'."),
        TIMESTAMP(
                "timestamp",
                "From the first entry appended at or after 'scan.startup.timestamp-millis'."),
        GROUP_POSITIONS(
                "group-positions",
                "From the committed positions of reader group 'scan.group', one per key range;"
                        + " from 'scan.group.fallback' when the log has no such group.");

        private final String value;
        private final String description;

        StartupMode(String value, String description) {
            this.value = value;
            this.description = description;
        }

        @Override
        public String toString() {
            return value;
        }

        @Override
        public InlineElement getDescription() {
            return text(description);
        }
    }

    /** Where a scan stops. */
    public enum BoundedMode implements DescribedEnum {
        UNBOUNDED("unbounded", "Follow the log forever."),
        LATEST("latest", "Stop at the frontier when the job starts."),
        SEQUENCE("sequence", "Stop before 'scan.bounded.sequence'."),
        TIMESTAMP(
                "timestamp",
                "Stop before the first entry appended at or after 'scan.bounded.timestamp-millis'.");

        private final String value;
        private final String description;

        BoundedMode(String value, String description) {
            this.value = value;
            this.description = description;
        }

        @Override
        public String toString() {
            return value;
        }

        @Override
        public InlineElement getDescription() {
            return text(description);
        }
    }

    public static final ConfigOption<StartupMode> SCAN_STARTUP_MODE =
            ConfigOptions.key("scan.startup.mode")
                    .enumType(StartupMode.class)
                    .defaultValue(StartupMode.EARLIEST)
                    .withDescription("Where a scan starts.");

    public static final ConfigOption<String> SCAN_GROUP =
            ConfigOptions.key("scan.group")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A reader group: completed checkpoints commit how far they read to it (lag in"
                                    + " 'lsmlog groups describe'), and 'scan.startup.mode' ="
                                    + " 'group-positions' starts from its positions.");

    /** Where a group-positions start begins when the group does not exist. */
    public enum GroupFallback implements DescribedEnum {
        EARLIEST("earliest", "From the first entry."),
        LATEST("latest", "From the frontier when the job starts.");

        private final String value;
        private final String description;

        GroupFallback(String value, String description) {
            this.value = value;
            this.description = description;
        }

        @Override
        public String toString() {
            return value;
        }

        @Override
        public InlineElement getDescription() {
            return text(description);
        }
    }

    public static final ConfigOption<GroupFallback> SCAN_GROUP_FALLBACK =
            ConfigOptions.key("scan.group.fallback")
                    .enumType(GroupFallback.class)
                    .defaultValue(GroupFallback.EARLIEST)
                    .withDescription(
                            "Where 'group-positions' starts when the log has no group 'scan.group'.");

    public static final ConfigOption<Long> SCAN_STARTUP_SEQUENCE =
            ConfigOptions.key("scan.startup.sequence")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Start sequence for 'sequence' mode.");

    public static final ConfigOption<Long> SCAN_STARTUP_TIMESTAMP =
            ConfigOptions.key("scan.startup.timestamp-millis")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Start time (epoch ms) for 'timestamp' mode.");

    public static final ConfigOption<BoundedMode> SCAN_BOUNDED_MODE =
            ConfigOptions.key("scan.bounded.mode")
                    .enumType(BoundedMode.class)
                    .defaultValue(BoundedMode.UNBOUNDED)
                    .withDescription("Where a scan stops.");

    public static final ConfigOption<Long> SCAN_BOUNDED_SEQUENCE =
            ConfigOptions.key("scan.bounded.sequence")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Stop sequence for 'sequence' mode.");

    public static final ConfigOption<Long> SCAN_BOUNDED_TIMESTAMP =
            ConfigOptions.key("scan.bounded.timestamp-millis")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Stop time (epoch ms) for 'timestamp' mode.");

    public static final ConfigOption<String> SCAN_KEY_PREFIX =
            ConfigOptions.key("scan.key-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Read only keys with this prefix.");

    public static final ConfigOption<String> SCAN_KEY_RANGE_START =
            ConfigOptions.key("scan.key-range.start")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Read keys from this one (inclusive).");

    public static final ConfigOption<String> SCAN_KEY_RANGE_END =
            ConfigOptions.key("scan.key-range.end")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Read keys up to this one (exclusive).");

    public static final ConfigOption<Long> SCAN_SPLIT_TARGET_SIZE =
            ConfigOptions.key("scan.split.target-size")
                    .longType()
                    .defaultValue(64L << 20)
                    .withDescription(
                            "Sealed segments are cut into splits of about this many bytes.");

    public static final ConfigOption<Duration> SCAN_DISCOVERY_INTERVAL =
            ConfigOptions.key("scan.discovery.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("How often the source looks for new segments.");

    public static final ConfigOption<DeliveryGuarantee> SINK_DELIVERY_GUARANTEE =
            ConfigOptions.key("sink.delivery-guarantee")
                    .enumType(DeliveryGuarantee.class)
                    .defaultValue(DeliveryGuarantee.AT_LEAST_ONCE)
                    .withDescription("none, at-least-once or exactly-once.");

    public static final ConfigOption<String> SINK_ID =
            ConfigOptions.key("sink.sink-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Names the sink's staged files and commit markers; stable across restarts, unique per log."
                                    + " Defaults to the table's name for exactly-once.");

    public static final ConfigOption<Integer> SINK_BATCH_MAX_RECORDS =
            ConfigOptions.key("sink.batch.max-records")
                    .intType()
                    .defaultValue(1000)
                    .withDescription("Records per append.");

    public static final ConfigOption<Long> SINK_BATCH_MAX_BYTES =
            ConfigOptions.key("sink.batch.max-bytes")
                    .longType()
                    .defaultValue(4L << 20)
                    .withDescription("Key+value bytes per append.");

    public static final ConfigOption<Duration> SINK_BATCH_MAX_DELAY =
            ConfigOptions.key("sink.batch.max-delay")
                    .durationType()
                    .defaultValue(Duration.ofMillis(100))
                    .withDescription("The longest a record waits in a partial batch.");

    public static final ConfigOption<Duration> SEGMENT_ROLL_INTERVAL =
            ConfigOptions.key("segment.roll.interval")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "When the sink creates the log: a new segment after this long.");

    public static final ConfigOption<Long> SEGMENT_ROLL_BYTES =
            ConfigOptions.key("segment.roll.bytes")
                    .longType()
                    .defaultValue(64L << 20)
                    .withDescription(
                            "When the sink creates the log: a new segment after this many bytes.");

    public static final ConfigOption<Duration> RETENTION_MAX_AGE =
            ConfigOptions.key("retention.max-age")
                    .durationType()
                    .noDefaultValue()
                    .withDescription("Drop sealed segments older than this.");

    public static final ConfigOption<Long> RETENTION_MAX_BYTES =
            ConfigOptions.key("retention.max-bytes")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Keep the log under this size.");
}
