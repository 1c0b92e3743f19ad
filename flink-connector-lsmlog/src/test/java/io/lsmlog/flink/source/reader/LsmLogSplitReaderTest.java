package io.lsmlog.flink.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogReader;
import io.lsmlog.Record;
import io.lsmlog.flink.source.split.LsmLogSplit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsmLogSplitReaderTest {
    @TempDir Path dir;

    @Test
    void aSplitOfADroppedSegmentFinishesAndCountsTheSequencesItMissed() throws Exception {
        LogConfig cfg =
                LogConfig.builder(dir)
                        .segmentRollBytes(4096)
                        .retentionCheckInterval(Duration.ofHours(1))
                        .build();
        try (Log log = Log.open(cfg)) {
            java.util.Random rnd = new java.util.Random(7);
            for (int i = 0; i < 200; i++) {
                byte[] value = new byte[100];
                rnd.nextBytes(value); // incompressible: the files hold what was appended
                log.append(List.of(new Record(("k" + (i % 5)).getBytes(), value)));
            }
            // Keep only the newest segments: the bytes bound drops the oldest.
            log.flush();
            log.awaitSealing(Duration.ofMinutes(1));
            log.applyRetention(null, 8192);
            long first = log.firstSequence();
            assertThat(first).isGreaterThan(0);

            ReaderMetrics metrics = ReaderMetrics.detached();
            try (LogReader reader = LogReader.open(cfg)) {
                LsmLogSplitReader splits = new LsmLogSplitReader(reader, metrics);
                splits.handleSplitsChanges(
                        new SplitsAddition<>(
                                List.of(
                                        LsmLogSplit.fresh(
                                                "tail-0",
                                                0,
                                                0,
                                                KeyRange.all(),
                                                0,
                                                Long.MAX_VALUE,
                                                true))));
                // The split of segment 0, read from its start: retention dropped it and the
                // segments after it up to the first kept one, so it finishes at once with the gap
                // counted, and nothing is emitted.
                List<Long> read = new ArrayList<>();
                List<String> finished = new ArrayList<>();
                for (int round = 0; round < 5 && finished.isEmpty(); round++) {
                    RecordsWithSplitIds<LogEntry> batch = splits.fetch();
                    while (batch.nextSplit() != null) {
                        LogEntry e;
                        while ((e = batch.nextRecordFromSplit()) != null) {
                            read.add(e.sequence());
                        }
                    }
                    finished.addAll(batch.finishedSplits());
                }
                assertThat(finished).containsExactly("tail-0");
                assertThat(read).isEmpty();
                assertThat(metrics.droppedSequences.getCount()).isEqualTo(first);
                splits.close();
            }
        }
    }

    /** pendingRecords is exact and falls to 0 as the split is read; lag and bytes move. */
    @Test
    void theMetricsFollowTheRead() throws Exception {
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            long eventTime = System.currentTimeMillis() - 60_000;
            for (int i = 0; i < 1_000; i++) {
                List<Record> batch = new ArrayList<>();
                for (int k = 0; k < 10; k++) {
                    batch.add(Record.of("k" + k, "value-" + i, eventTime));
                }
                log.append(batch);
            }
            ReaderMetrics metrics = ReaderMetrics.detached();
            LsmLogSplitReader splits = new LsmLogSplitReader(log, metrics);
            KeyRange keys = KeyRange.between("k3".getBytes(), "k5".getBytes()); // 2,000 entries
            splits.handleSplitsChanges(
                    new SplitsAddition<>(
                            List.of(
                                    LsmLogSplit.fresh(
                                            "tail-0", 0, 0, keys, 0, Long.MAX_VALUE, true))));
            assertThat(metrics.pendingRecords()).as("before the first fetch").isEqualTo(-1);
            long[] readAndBytes = new long[2];
            drain(splits.fetch(), readAndBytes);
            // A tailing fetch reads a window of sequences: what is left is counted exactly.
            assertThat(readAndBytes[0]).isEqualTo(820);
            assertThat(metrics.pendingRecords())
                    .isEqualTo(2_000 - 820)
                    .isEqualTo(
                            log.count(keys, io.lsmlog.SeqRange.between(4096, log.nextSequence())));
            assertThat(metrics.fetchLagMillis()).isBetween(60_000L, 180_000L);
            assertThat(metrics.bytesIn.getCount()).isEqualTo(readAndBytes[1]);
            for (int round = 0; round < 3; round++) {
                Thread.sleep(ReaderMetrics.PENDING_REFRESH_MILLIS / 3 + 10);
                drain(splits.fetch(), readAndBytes);
            }
            assertThat(readAndBytes[0]).isEqualTo(2_000);
            assertThat(metrics.pendingRecords()).isZero();
            assertThat(metrics.bytesIn.getCount()).isEqualTo(readAndBytes[1]);
            splits.close();
        }
    }

    private static void drain(RecordsWithSplitIds<LogEntry> batch, long[] readAndBytes) {
        while (batch.nextSplit() != null) {
            LogEntry e;
            while ((e = batch.nextRecordFromSplit()) != null) {
                readAndBytes[0]++;
                readAndBytes[1] += e.key().length + e.value().length;
            }
        }
    }

    /** Watermark alignment: a paused split is not read until resumed; the others go on. */
    @Test
    void aPausedSplitWaitsWhileTheOthersAreRead() throws Exception {
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            for (int i = 0; i < 10; i++) {
                log.append(List.of(Record.of("a" + i, "x"), Record.of("b" + i, "y")));
            }
            LsmLogSplitReader splits = new LsmLogSplitReader(log, ReaderMetrics.detached());
            LsmLogSplit a =
                    LsmLogSplit.fresh("a", 0, 0, KeyRange.prefix("a"), 0, Long.MAX_VALUE, true);
            LsmLogSplit b =
                    LsmLogSplit.fresh("b", 1, 0, KeyRange.prefix("b"), 0, Long.MAX_VALUE, true);
            splits.handleSplitsChanges(new SplitsAddition<>(List.of(a, b)));
            splits.pauseOrResumeSplits(List.of(a), List.of());
            java.util.Map<String, Integer> read = new java.util.HashMap<>();
            for (int round = 0; round < 4; round++) {
                countBySplit(splits.fetch(), read);
            }
            assertThat(read).containsOnlyKeys("b").containsEntry("b", 10);
            splits.pauseOrResumeSplits(List.of(), List.of(a));
            for (int round = 0; round < 4; round++) {
                countBySplit(splits.fetch(), read);
            }
            assertThat(read).containsEntry("a", 10).containsEntry("b", 10);
            splits.close();
        }
    }

    private static void countBySplit(
            RecordsWithSplitIds<LogEntry> batch, java.util.Map<String, Integer> read) {
        String split;
        while ((split = batch.nextSplit()) != null) {
            while (batch.nextRecordFromSplit() != null) {
                read.merge(split, 1, Integer::sum);
            }
        }
    }
}
