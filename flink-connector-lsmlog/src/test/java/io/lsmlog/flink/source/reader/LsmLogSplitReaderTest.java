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
import org.apache.flink.metrics.SimpleCounter;
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

            SimpleCounter dropped = new SimpleCounter();
            try (LogReader reader = LogReader.open(cfg)) {
                LsmLogSplitReader splits = new LsmLogSplitReader(reader, dropped);
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
                assertThat(dropped.getCount()).isEqualTo(first);
                splits.close();
            }
        }
    }
}
