package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** countRanges (one pass over the write order) gives what count gives range by range. */
class CountRangesTest {
    @TempDir Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void countsEqualPerRangeCountsAcrossSealedOpenAndDroppedSegments() throws Exception {
        Random random = new Random(3);
        try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(4096).build())) {
            for (int batch = 0; batch < 60; batch++) {
                List<Record> records = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String key = String.format("k%03d", random.nextInt(300));
                    records.add(
                            i % 17 == 0
                                    ? Record.delete(b(key))
                                    : Record.of(key, "v" + batch + "-" + i));
                }
                log.append(records);
            }
            assertThat(log.segments().size()).isGreaterThan(3);
            check(log, random);
            log.applyRetention(null, 1); // every sealed segment goes
            assertThat(log.firstSequence()).isPositive();
            check(log, random);
            // Inside a LogReader too.
            try (LogReader reader = LogReader.open(LogConfig.builder(dir).build())) {
                check(reader, random);
            }
        }
    }

    private static void check(LogRead log, Random random) {
        List<KeyRange> ranges =
                List.of(
                        KeyRange.between(null, b("k050")),
                        KeyRange.between(b("k050"), b("k051")),
                        KeyRange.between(b("k100"), b("k200")),
                        KeyRange.between(b("k250"), null));
        long frontier = log.nextSequence();
        for (int round = 0; round < 20; round++) {
            List<Long> from = new ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) {
                from.add(round == 0 ? 0L : (long) random.nextInt((int) frontier + 10));
            }
            long to = round % 3 == 0 ? frontier : random.nextInt((int) frontier + 1);
            long[] counts = log.countRanges(ranges, from, to);
            for (int i = 0; i < ranges.size(); i++) {
                long expected =
                        from.get(i) >= to
                                ? 0
                                : log.count(ranges.get(i), SeqRange.between(from.get(i), to));
                assertThat(counts[i])
                        .as("range %s from %d to %d", ranges.get(i), from.get(i), to)
                        .isEqualTo(expected);
            }
        }
        long[] all = log.countRanges(List.of(KeyRange.all()), List.of(0L), Long.MAX_VALUE);
        assertThat(all[0]).isEqualTo(log.count(KeyRange.all(), SeqRange.all())).isPositive();
    }

    @Test
    void overlappingRangesOrMissingStartsAreRefused() throws Exception {
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            assertThatThrownBy(
                            () ->
                                    log.countRanges(
                                            List.of(
                                                    KeyRange.between(null, b("m")),
                                                    KeyRange.between(b("c"), null)),
                                            List.of(0L, 0L),
                                            10))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("disjoint");
            assertThatThrownBy(() -> log.countRanges(List.of(KeyRange.all()), List.of(), 10))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("one start per range");
        }
    }
}
