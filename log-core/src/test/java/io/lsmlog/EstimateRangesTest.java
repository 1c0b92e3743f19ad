package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader-group weights: exact for sealed segments (the key index's counters), the open
 * segment's entries shared out by its keys per range.
 */
class EstimateRangesTest {
    @TempDir Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void append(Log log, String prefix, int keys, int perKey) {
        for (int i = 0; i < perKey; i++) {
            List<Record> batch = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                batch.add(
                        Record.of(
                                String.format("%s%03d", prefix, k),
                                "value-" + i + "-" + "x".repeat(40)));
            }
            log.append(batch);
        }
    }

    @Test
    void sealedSegmentsAreCountedExactlyAndTheOpenOneByItsKeys() throws Exception {
        List<KeyRange> ranges =
                List.of(
                        KeyRange.prefix("b"),
                        KeyRange.between(null, b("b")),
                        KeyRange.between(b("c"), null));
        try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(2048).build())) {
            assertThat(log.reads().estimateRanges(ranges)).containsExactly(0, 0, 0);
            append(log, "a", 10, 50); // 500 entries of "a" keys, sealed by what follows
            append(log, "b", 2, 300); // two hot "b" keys
            append(log, "c", 40, 2); // more than a segment: the second batch opens a new one
            List<Segment> segments = log.segments();
            assertThat(segments.size()).isGreaterThan(3);
            long openStart = segments.get(segments.size() - 1).startSequence();
            assertThat(log.count(KeyRange.between(null, b("c")), SeqRange.from(openStart)))
                    .as("only c keys in the open segment")
                    .isZero();

            long[] estimate = log.reads().estimateRanges(ranges);
            // a and b keys are only in sealed segments: exact.
            assertThat(estimate[0])
                    .isEqualTo(log.count(ranges.get(0), SeqRange.all()))
                    .isEqualTo(600);
            assertThat(estimate[1])
                    .isEqualTo(log.count(ranges.get(1), SeqRange.all()))
                    .isEqualTo(500);
            // c keys: what sealed segments hold, plus every open entry (only c keys are open).
            assertThat(estimate[2])
                    .isEqualTo(log.count(ranges.get(2), SeqRange.all()))
                    .isEqualTo(80);
            // Balance by entries, not keys: the two b keys weigh more than the ten a keys.
            assertThat(estimate[0]).isGreaterThan(estimate[1]);
        }
    }

    @Test
    void theOpenSegmentIsSharedByKeysPerRange() throws Exception {
        List<KeyRange> ranges = List.of(KeyRange.prefix("a"), KeyRange.prefix("b"));
        try (Log log = Log.open(LogConfig.builder(dir).build())) { // one open segment
            append(log, "a", 30, 10);
            append(log, "b", 10, 10);
            long[] estimate = log.reads().estimateRanges(ranges);
            // 400 open entries over 40 keys: 30 in range a, 10 in range b.
            assertThat(estimate).containsExactly(300, 100);
        }
    }
}
