package io.lsmlog.flink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

class LsmLogDynamicTableFactoryTest {
    @Test
    void identifierAndOptions() {
        LsmLogDynamicTableFactory f = new LsmLogDynamicTableFactory();
        assertThat(f.factoryIdentifier()).isEqualTo("lsmlog");
        assertThat(f.requiredOptions()).extracting(ConfigOption::key).containsExactly("path");
        Set<String> optional =
                f.optionalOptions().stream().map(ConfigOption::key).collect(Collectors.toSet());
        assertThat(optional)
                .contains(
                        "format",
                        "value.format",
                        "key.fields",
                        "scan.startup.mode",
                        "scan.group",
                        "scan.group.fallback",
                        "scan.bounded.mode",
                        "scan.key-prefix",
                        "sink.delivery-guarantee",
                        "sink.batch.max-records",
                        "lookup.cache",
                        "segment.roll.bytes",
                        "retention.max-age");
        // Every option documents itself.
        assertThat(f.optionalOptions())
                .allSatisfy(o -> assertThat(o.description().toString()).isNotBlank());
        assertThat(LsmLogConnectorOptions.SCAN_STARTUP_MODE.defaultValue())
                .isEqualTo(LsmLogConnectorOptions.StartupMode.EARLIEST);
        assertThat(LsmLogConnectorOptions.SCAN_BOUNDED_MODE.defaultValue())
                .isEqualTo(LsmLogConnectorOptions.BoundedMode.UNBOUNDED);
        assertThat(LsmLogConnectorOptions.SCAN_STARTUP_MODE.defaultValue().toString())
                .isEqualTo("earliest");
    }

    @Test
    void metadataColumns() {
        assertThat(LsmLogMetadata.of("key").writable).isTrue();
        assertThat(LsmLogMetadata.of("timestamp").writable).isTrue();
        assertThat(LsmLogMetadata.of("sequence").writable).isFalse();
        assertThatThrownBy(() -> LsmLogMetadata.of("offset")).hasMessageContaining("offset");
    }

    private static Object create(boolean source, java.util.Map<String, String> options) {
        org.apache.flink.table.catalog.ResolvedSchema schema =
                org.apache.flink.table.catalog.ResolvedSchema.of(
                        org.apache.flink.table.catalog.Column.physical(
                                "k", org.apache.flink.table.api.DataTypes.STRING()),
                        org.apache.flink.table.catalog.Column.physical(
                                "v", org.apache.flink.table.api.DataTypes.INT()));
        org.apache.flink.table.catalog.CatalogTable table =
                org.apache.flink.table.catalog.CatalogTable.newBuilder()
                        .schema(
                                org.apache.flink.table.api.Schema.newBuilder()
                                        .fromResolvedSchema(schema)
                                        .build())
                        .options(options)
                        .build();
        org.apache.flink.table.catalog.ResolvedCatalogTable resolved =
                new org.apache.flink.table.catalog.ResolvedCatalogTable(table, schema);
        org.apache.flink.table.catalog.ObjectIdentifier id =
                org.apache.flink.table.catalog.ObjectIdentifier.of("c", "d", "t");
        ClassLoader loader = LsmLogDynamicTableFactoryTest.class.getClassLoader();
        return source
                ? org.apache.flink.table.factories.FactoryUtil.createDynamicTableSource(
                        null,
                        id,
                        resolved,
                        java.util.Map.of(),
                        new org.apache.flink.configuration.Configuration(),
                        loader,
                        false)
                : org.apache.flink.table.factories.FactoryUtil.createDynamicTableSink(
                        null,
                        id,
                        resolved,
                        java.util.Map.of(),
                        new org.apache.flink.configuration.Configuration(),
                        loader,
                        false);
    }

    /** The planner compares sources and sinks (plan reuse, digests): equal tables are equal. */
    @Test
    void sourcesAndSinksOfEqualTablesAreEqualAndTheirCopiesToo() {
        java.util.Map<String, String> options =
                java.util.Map.of(
                        "connector",
                        "lsmlog",
                        "path",
                        "/tmp/x",
                        "format",
                        "json",
                        "key.fields",
                        "k");
        Object source = create(true, options);
        assertThat(source)
                .isEqualTo(create(true, options))
                .hasSameHashCodeAs(create(true, options));
        assertThat(((org.apache.flink.table.connector.source.DynamicTableSource) source).copy())
                .isEqualTo(source);
        java.util.Map<String, String> other = new java.util.HashMap<>(options);
        other.put("scan.key-prefix", "a");
        assertThat(create(true, other)).isNotEqualTo(source);
        Object sink = create(false, options);
        assertThat(sink).isEqualTo(create(false, options));
        assertThat(((org.apache.flink.table.connector.sink.DynamicTableSink) sink).copy())
                .isEqualTo(sink);
        java.util.Map<String, String> exactlyOnce = new java.util.HashMap<>(options);
        exactlyOnce.put("sink.delivery-guarantee", "exactly-once");
        assertThat(create(false, exactlyOnce)).isNotEqualTo(sink);
    }

    @Test
    void groupPositionsNeedAGroupAndTheGroupIsPartOfTheSource() {
        java.util.Map<String, String> options =
                new java.util.HashMap<>(
                        java.util.Map.of(
                                "connector",
                                "lsmlog",
                                "path",
                                "/tmp/x",
                                "format",
                                "json",
                                "key.fields",
                                "k"));
        Object plain = create(true, options);
        options.put("scan.group", "billing");
        Object committing = create(true, options);
        assertThat(committing).isNotEqualTo(plain);
        options.put("scan.startup.mode", "group-positions");
        assertThat(create(true, options)).isNotEqualTo(committing);
        options.put("scan.group.fallback", "latest");
        assertThat(create(true, options)).isNotEqualTo(committing);
        options.remove("scan.group");
        assertThatThrownBy(() -> create(true, options))
                .hasStackTraceContaining("'group-positions' needs 'scan.group'");
        options.put("scan.group", "billing");
        options.put("scan.group.fallback", "middle");
        assertThatThrownBy(() -> create(true, options))
                .hasStackTraceContaining("scan.group.fallback");
    }

    @Test
    void aRateLimitIsPositive() {
        java.util.Map<String, String> options =
                new java.util.HashMap<>(
                        java.util.Map.of(
                                "connector",
                                "lsmlog",
                                "path",
                                "/tmp/x",
                                "format",
                                "json",
                                "key.fields",
                                "k"));
        options.put("scan.rate-limit.records-per-second", "250");
        Object limited = create(true, options);
        assertThat(limited)
                .isNotEqualTo(
                        create(
                                true,
                                java.util.Map.of(
                                        "connector",
                                        "lsmlog",
                                        "path",
                                        "/tmp/x",
                                        "format",
                                        "json",
                                        "key.fields",
                                        "k")));
        options.put("scan.rate-limit.records-per-second", "0");
        assertThatThrownBy(() -> create(true, options))
                .hasStackTraceContaining("'scan.rate-limit.records-per-second' must be > 0");
    }
}
