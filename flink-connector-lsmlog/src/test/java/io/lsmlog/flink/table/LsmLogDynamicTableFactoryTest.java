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
}
