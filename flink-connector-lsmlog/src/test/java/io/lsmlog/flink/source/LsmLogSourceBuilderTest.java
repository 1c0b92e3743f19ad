package io.lsmlog.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.InvalidArgumentException;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.junit.jupiter.api.Test;

class LsmLogSourceBuilderTest {
    private static LsmLogSourceBuilder<String> valid() {
        return LsmLogSource.<String>builder()
                .setPath("/tmp/x")
                .setDeserializer(LsmLogDeserializer.valueAsString());
    }

    @Test
    void validationNamesTheSetting() {
        assertThatThrownBy(() -> LsmLogSource.<String>builder().build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("setPath");
        assertThatThrownBy(() -> LsmLogSource.<String>builder().setPath("/tmp/x").build())
                .hasMessageContaining("setDeserializer");
        assertThatThrownBy(() -> valid().setKeys(List.of()).build())
                .hasMessageContaining("key selection is empty");
        assertThatThrownBy(() -> valid().setBounded(LsmLogPosition.earliest()).build())
                .hasMessageContaining("not earliest");
        assertThatThrownBy(() -> valid().setTargetSplitBytes(10).build())
                .hasMessageContaining("targetSplitBytes");
        assertThatThrownBy(() -> valid().setDiscoveryInterval(Duration.ZERO).build())
                .hasMessageContaining("discoveryInterval");
        assertThatThrownBy(() -> valid().setSequenceBounds(10, 5).build())
                .hasMessageContaining("0 <= from <= to, got [10, 5)");
        assertThatThrownBy(() -> valid().setRecordLimit(-1).build())
                .hasMessageContaining("recordLimit must not be negative, got -1");
        assertThatThrownBy(() -> LsmLogPosition.sequence(-1)).hasMessageContaining(">= 0");
        assertThat(valid().build().getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(valid().setBounded(LsmLogPosition.latest()).build().getBoundedness())
                .isEqualTo(Boundedness.BOUNDED);
    }
}
