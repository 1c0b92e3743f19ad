package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    @TempDir Path dir;

    private static List<Record> batch(Random rnd, String prefix, int n, int valueBytes) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] v = new byte[valueBytes];
            rnd.nextBytes(v); // incompressible, so sizes on disk are real
            out.add(new Record((prefix + (i % 20)).getBytes(), v));
        }
        return out;
    }

    @Test
    void maxAgeDropsOldSegmentsFromScansKeysAndCountsAndShrinksTheDirectory() {
        long[] now = {1_000_000};
        LogConfig cfg =
                LogConfig.builder(dir)
                        .segmentRollInterval(Duration.ofSeconds(10))
                        .retentionMaxAge(Duration.ofSeconds(25))
                        .retentionCheckInterval(Duration.ofHours(1)) // passes run by hand here
                        .build();
        Random rnd = new Random(1);
        try (Log log = Log.open(cfg, new FixedClock(now))) {
            // Four segments, 10 s apart: "old-" keys only in the first two.
            for (int s = 0; s < 4; s++) {
                for (int i = 0; i < 20; i++) {
                    log.append(batch(rnd, s < 2 ? "old-" : "new-", 100, 1000));
                }
                now[0] += 10_000;
            }
            log.append(List.of(Record.of("new-0", "tail"))); // opens segment 4
            assertThat(log.segments()).extracting(Segment::id).containsExactly(0, 1, 2, 3, 4);
            long keptFrom = log.segments().get(2).startSequence();
            // Flush memtables into files so the size drop below is the files going away.
            log.checkpoint(dir.resolveSibling(dir.getFileName() + "-cp"));
            long before = log.diskBytes();

            // now = 1_040_000: segments 0 and 1 ended (segments 1 and 2 started) at 1_010_000
            // and 1_020_000, both before the cutoff 1_015_000? Only segment 0's end is.
            now[0] = 1_045_000; // cutoff 1_020_000: segments 0 and 1 ended at or before it
            RetentionResult r = log.applyRetention(cfg.retentionMaxAge(), 0);
            assertThat(r.dropped()).extracting(Segment::id).containsExactly(0, 1);
            assertThat(log.segments()).extracting(Segment::id).containsExactly(2, 3, 4);
            assertThat(log.firstSequence()).isEqualTo(keptFrom);
            try (LogReader reader = LogReader.open(cfg)) {
                assertThat(reader.firstSequence()).isEqualTo(keptFrom);
            }
            // A scan from a dropped sequence starts at the first kept one, or, when its range
            // asked to, fails saying which sequences are gone.
            SeqRange strict = SeqRange.from(5).failIfDropped();
            for (java.util.function.Supplier<LogIterator> scan :
                    List.<java.util.function.Supplier<LogIterator>>of(
                            () -> log.scanBySequence(KeyRange.all(), strict),
                            () -> log.scan(KeyRange.all(), strict),
                            () -> log.scan("new-3", strict))) {
                assertThatThrownBy(scan::get)
                        .isInstanceOfSatisfying(
                                SequenceDroppedException.class,
                                e -> {
                                    assertThat(e.requested()).isEqualTo(5);
                                    assertThat(e.firstAvailable()).isEqualTo(keptFrom);
                                })
                        .hasMessage(
                                "sequences 5.."
                                        + (keptFrom - 1)
                                        + " were dropped by retention; the first sequence still"
                                        + " kept is "
                                        + keptFrom);
            }
            assertThat(
                            Model.drain(
                                            log.scanBySequence(
                                                    KeyRange.all(),
                                                    SeqRange.from(keptFrom).failIfDropped()))
                                    .get(0)
                                    .sequence())
                    .isEqualTo(keptFrom);
            assertThat(Model.drain(log.scan("old-3", SeqRange.all()))).isEmpty();
            assertThat(Model.drain(log.scan(KeyRange.all(), SeqRange.all())))
                    .allMatch(e -> e.sequence() >= keptFrom)
                    .hasSize((int) (log.nextSequence() - keptFrom));
            assertThat(
                            Model.drain(log.scanBySequence(KeyRange.all(), SeqRange.all()))
                                    .get(0)
                                    .sequence())
                    .isEqualTo(keptFrom);
            assertThat(Model.drain(log.keys(KeyRange.all())))
                    .allMatch(k -> new String(k).startsWith("new-"))
                    .hasSize(20);
            assertThat(log.count(KeyRange.prefix("old-"), SeqRange.all())).isZero();
            assertThat(log.count(KeyRange.all(), SeqRange.all()))
                    .isEqualTo(log.nextSequence() - keptFrom);
            long after = log.diskBytes();
            assertThat(after)
                    .as("bytes on disk after dropping half the data")
                    .isLessThan(before * 3 / 4);

            // Far in the future: everything but the newest segment goes, never the newest.
            now[0] += 1_000_000;
            log.applyRetention(cfg.retentionMaxAge(), 0);
            assertThat(log.segments()).extracting(Segment::id).containsExactly(4);
            assertThat(Model.drain(log.scan("new-0", SeqRange.all())))
                    .extracting(LogEntry::valueString)
                    .containsExactly("tail");
        }
        // Dropped segments stay dropped after reopening; sequences continue.
        try (Log log = Log.open(cfg)) {
            assertThat(log.segments()).extracting(Segment::id).containsExactly(4);
            long next = log.nextSequence();
            assertThat(log.append(List.of(Record.of("x", "y"))).firstSequence()).isEqualTo(next);
        }
    }

    @Test
    void maxBytesKeepsTheLogUnderTheBound() {
        long bound = 3L << 20;
        LogConfig cfg =
                LogConfig.builder(dir)
                        .segmentRollBytes(256 << 10)
                        .retentionMaxBytes(bound)
                        .retentionCheckInterval(Duration.ofHours(1))
                        .writeBufferBytes(1 << 20)
                        .build();
        Random rnd = new Random(2);
        try (Log log = Log.open(cfg)) {
            for (int i = 0; i < 100; i++) {
                log.append(batch(rnd, "k", 100, 1000)); // 10 MB in total, ~40 segments
            }
            int segmentsBefore = log.segments().size();
            log.flush();
            // A seal under way holds the files it reads until it ends: measure without one.
            log.awaitSealing(Duration.ofMinutes(1));
            RetentionResult r = log.applyRetention(null, bound);
            assertThat(r.dropped()).isNotEmpty();
            assertThat(log.segments().size()).isLessThan(segmentsBefore);
            // What remains is about the bound: the live entries' key+value bytes.
            long remainingEntries = log.count(KeyRange.all(), SeqRange.all());
            assertThat(remainingEntries * 1000).isLessThanOrEqualTo(bound + (256 << 10) + 100_000);
            assertThat(remainingEntries * 1000).isGreaterThan(bound / 2);
            assertThat(log.diskBytes())
                    .as("directory size after compaction")
                    .isLessThan(bound + (2 << 20));
        }
    }

    @Test
    void theBackgroundTaskAppliesConfiguredRetention() throws Exception {
        LogConfig cfg =
                LogConfig.builder(dir)
                        .segmentRollBytes(1024)
                        .retentionMaxAge(Duration.ofMillis(1))
                        .retentionCheckInterval(Duration.ofMillis(20))
                        .build();
        try (Log log = Log.open(cfg)) {
            for (int i = 0; i < 10; i++) {
                log.append(List.of(Record.of("k", "x".repeat(2000))));
                Thread.sleep(2);
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (log.segments().size() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(log.segments()).hasSize(1);
            assertThat(log.count("k".getBytes(), SeqRange.all())).isEqualTo(1);
        }
    }
}
