package io.lsmlog.flink.source.reader;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.runtime.metrics.MetricNames;

/**
 * The source reader's metrics, with Flink's standard names (FLIP-33) where there is one: {@code
 * pendingRecords} — exact, the entries of the reader's splits not fetched yet, counted from the key
 * index (no values read); {@code currentFetchEventTimeLag} — fetch time minus the last fetched
 * entry's timestamp; {@code numBytesIn} — key and value bytes fetched; plus {@code
 * droppedSequences}. The split reader updates them on its thread; Flink reads them on another, so
 * the values are volatile and the pending count is refreshed at most once a second.
 */
final class ReaderMetrics {
    /** Name of the reader metric counting sequences skipped because retention dropped them. */
    static final String DROPPED_SEQUENCES = "droppedSequences";

    static final long PENDING_REFRESH_MILLIS = 1_000;

    final Counter droppedSequences;
    final Counter bytesIn;
    private volatile long pendingRecords = -1;
    private volatile long fetchLagMillis = -1;
    private long pendingComputedAt = Long.MIN_VALUE;

    private ReaderMetrics(Counter droppedSequences, Counter bytesIn) {
        this.droppedSequences = droppedSequences;
        this.bytesIn = bytesIn;
    }

    /** Registered on a reader's metric group. */
    static ReaderMetrics register(SourceReaderMetricGroup group) {
        ReaderMetrics m =
                new ReaderMetrics(
                        group.counter(DROPPED_SEQUENCES),
                        group.getIOMetricGroup().getNumBytesInCounter());
        group.setPendingRecordsGauge(() -> m.pendingRecords < 0 ? null : m.pendingRecords);
        group.gauge(MetricNames.CURRENT_FETCH_EVENT_TIME_LAG, () -> m.fetchLagMillis);
        return m;
    }

    /** Not registered anywhere: for tests and tools that read the values themselves. */
    static ReaderMetrics detached() {
        return new ReaderMetrics(new SimpleCounter(), new SimpleCounter());
    }

    /** True when the pending count is due for a refresh. */
    boolean pendingDue(long nowMillis) {
        return pendingComputedAt == Long.MIN_VALUE
                || nowMillis - pendingComputedAt >= PENDING_REFRESH_MILLIS;
    }

    void pending(long records, long nowMillis) {
        pendingRecords = records;
        pendingComputedAt = nowMillis;
    }

    void fetched(long entryTimestamp, long nowMillis, long bytes) {
        fetchLagMillis = Math.max(0, nowMillis - entryTimestamp);
        bytesIn.inc(bytes);
    }

    long pendingRecords() {
        return pendingRecords;
    }

    long fetchLagMillis() {
        return fetchLagMillis;
    }
}
