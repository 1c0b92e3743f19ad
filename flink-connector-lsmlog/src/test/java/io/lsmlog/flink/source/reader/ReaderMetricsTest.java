package io.lsmlog.flink.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.junit.jupiter.api.Test;

/** The reader's metrics are registered under Flink's standard names and show what was set. */
class ReaderMetricsTest {
    @Test
    void registeredUnderTheStandardNames() {
        Map<String, Gauge<?>> gauges = new HashMap<>();
        UnregisteredMetricsGroup capture =
                new UnregisteredMetricsGroup() {
                    @Override
                    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
                        gauges.put(name, gauge);
                        return gauge;
                    }
                };
        ReaderMetrics m = ReaderMetrics.register(InternalSourceReaderMetricGroup.mock(capture));
        assertThat(gauges).containsKeys("pendingRecords", "currentFetchEventTimeLag");
        assertThat(gauges.get("pendingRecords").getValue()).as("unknown before a fetch").isNull();
        m.pending(42, 0);
        m.fetched(1_000, 5_000, 10);
        assertThat(gauges.get("pendingRecords").getValue()).isEqualTo(42L);
        assertThat(gauges.get("currentFetchEventTimeLag").getValue()).isEqualTo(4_000L);
        assertThat(m.bytesIn.getCount()).isEqualTo(10);
    }
}
