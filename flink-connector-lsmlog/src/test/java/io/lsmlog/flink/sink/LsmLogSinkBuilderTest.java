package io.lsmlog.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.InvalidArgumentException;
import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class LsmLogSinkBuilderTest {
    private static LsmLogSinkBuilder<String> valid() {
        return LsmLogSink.<String>builder()
                .setPath("/tmp/x")
                .setSerializer(LsmLogRecordSerializer.ofStrings(s -> s, s -> s));
    }

    @Test
    void validationNamesTheSetting() {
        assertThatThrownBy(() -> LsmLogSink.<String>builder().build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("setPath");
        assertThatThrownBy(() -> LsmLogSink.<String>builder().setPath("/tmp/x").build())
                .hasMessageContaining("setSerializer");
        assertThatThrownBy(
                        () -> valid().setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).build())
                .hasMessageContaining("EXACTLY_ONCE needs setSinkId");
        assertThatThrownBy(() -> valid().setBatchMaxRecords(0).build())
                .hasMessageContaining("batchMaxRecords must be in [1, 1000000], got 0");
        assertThatThrownBy(() -> valid().setBatchMaxBytes(0).build())
                .hasMessageContaining("batchMaxBytes");
        assertThatThrownBy(() -> valid().setBatchMaxDelay(Duration.ZERO).build())
                .hasMessageContaining("batchMaxDelay");
        assertThatThrownBy(() -> valid().setMaxInFlightBatches(0).build())
                .hasMessageContaining("maxInFlightBatches");
        assertThatThrownBy(() -> valid().setDeliveryGuarantee(null).build())
                .hasMessageContaining("NONE, AT_LEAST_ONCE, EXACTLY_ONCE");
        assertThat(
                        valid().setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setSinkId("s")
                                .build())
                .isNotNull();
    }
}
