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

/** A sequence-order scan of several key ranges gives the full scan's entries of those ranges. */
class MultiRangeSequenceScanTest {
    @TempDir Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> drain(LogIterator it) {
        List<String> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                LogEntry e = it.next();
                out.add(e.sequence() + " " + e.keyString() + " " + e.valueString());
            }
        }
        return out;
    }

    @Test
    void severalRangesInOnePassEqualTheFilteredFullScanInSealedAndOpenSegments() throws Exception {
        Random random = new Random(5);
        // Given in no order; the scan sorts them.
        List<KeyRange> ranges =
                List.of(
                        KeyRange.between(b("k150"), b("k190")),
                        KeyRange.between(null, b("k020")),
                        KeyRange.between(b("k290"), null));
        try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(8192).build())) {
            for (int batch = 0; batch < 40; batch++) {
                List<Record> records = new ArrayList<>();
                for (int i = 0; i < 150; i++) {
                    records.add(
                            Record.of(
                                    String.format("k%03d", random.nextInt(300)),
                                    "v" + batch + "." + i));
                }
                log.append(records);
            }
            assertThat(log.segments().size()).isGreaterThan(3);
            for (long from : List.of(0L, 1234L, log.nextSequence() - 100)) {
                List<String> expected = new ArrayList<>();
                for (String line : drain(log.scanBySequence(KeyRange.all(), SeqRange.from(from)))) {
                    byte[] key = b(line.split(" ")[1]);
                    if (ranges.stream().anyMatch(r -> r.contains(key))) {
                        expected.add(line);
                    }
                }
                assertThat(expected).isNotEmpty();
                assertThat(drain(log.scanBySequence(ranges, SeqRange.from(from))))
                        .containsExactlyElementsOf(expected);
                // The merging fallback (what a remote log does) gives the same.
                List<LogIterator> each = new ArrayList<>();
                for (KeyRange r : ranges) {
                    each.add(log.scanBySequence(r, SeqRange.from(from)));
                }
                assertThat(drain(new MergedSequenceScan(each))).containsExactlyElementsOf(expected);
            }
            assertThatThrownBy(
                            () ->
                                    log.scanBySequence(
                                            List.of(KeyRange.all(), KeyRange.prefix("k1")),
                                            SeqRange.all()))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("disjoint");
        }
    }
}
