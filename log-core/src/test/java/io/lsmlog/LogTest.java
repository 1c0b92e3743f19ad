package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
    @TempDir Path dir;

    private LogConfig config(long rollBytes) {
        return LogConfig.builder(dir.resolve("log")).segmentRollBytes(rollBytes).build();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Appends random batches over keys with tricky bytes; returns the model. */
    private static Model fill(Log log, Random rnd, int batches, List<byte[]> keys) {
        Model m = new Model();
        for (int i = 0; i < batches; i++) {
            List<Record> batch = new ArrayList<>();
            int n = 1 + rnd.nextInt(20);
            for (int j = 0; j < n; j++) {
                byte[] value = new byte[rnd.nextInt(64)];
                rnd.nextBytes(value);
                batch.add(
                        rnd.nextInt(4) == 0
                                ? new Record(keys.get(rnd.nextInt(keys.size())), value, 1000L + i)
                                : new Record(keys.get(rnd.nextInt(keys.size())), value));
            }
            m.add(batch, log.append(batch));
        }
        return m;
    }

    private static List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add(b("user-" + i));
        }
        keys.add(new byte[] {0x00});
        keys.add(new byte[] {0x00, 0x00});
        keys.add(new byte[] {0x01});
        keys.add(new byte[] {0x01, 0x00});
        keys.add(new byte[] {(byte) 0xFF});
        keys.add(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x00});
        keys.add(b("user-1\u0000x"));
        return keys;
    }

    @Test
    void appendAssignsConsecutiveSequencesAndScansReturnExactlyEachKeysEntries() {
        Random rnd = new Random(1);
        try (Log log = Log.open(config(64 << 20))) {
            Model m = fill(log, rnd, 300, keys());
            assertThat(log.nextSequence()).isEqualTo(m.all.size());
            for (int i = 0; i < m.all.size(); i++) {
                assertThat(m.all.get(i).sequence()).isEqualTo(i);
            }
            for (byte[] key : keys()) {
                assertThat(Model.drain(log.scan(key, SeqRange.all())))
                        .as("key %s", Printable.bytes(key))
                        .containsExactlyElementsOf(m.key(key, SeqRange.all()));
                assertThat(log.count(key, SeqRange.all()))
                        .isEqualTo(m.key(key, SeqRange.all()).size());
            }
            assertThat(Model.drain(log.scan(b("absent"), SeqRange.all()))).isEmpty();
        }
    }

    @Test
    void scansAcrossManySegmentsCutSequenceRangesExactly() {
        Random rnd = new Random(2);
        try (Log log = Log.open(config(1024))) {
            Model m = fill(log, rnd, 400, keys());
            assertThat(log.segments()).hasSizeGreaterThan(20);
            List<Segment> segs = log.segments();
            for (int i = 1; i < segs.size(); i++) {
                assertThat(segs.get(i).id()).isEqualTo(segs.get(i - 1).id() + 1);
                assertThat(segs.get(i).startSequence())
                        .isGreaterThan(segs.get(i - 1).startSequence());
            }
            long total = m.all.size();
            for (int trial = 0; trial < 60; trial++) {
                long from = rnd.nextLong(total + 5);
                long to = from + rnd.nextLong(total + 5 - from + 1);
                SeqRange r = SeqRange.between(from, to);
                byte[] key = keys().get(rnd.nextInt(keys().size()));
                assertThat(Model.drain(log.scan(key, r)))
                        .as("key %s in %s", Printable.bytes(key), r)
                        .containsExactlyElementsOf(m.key(key, r));
                assertThat(log.count(key, r)).isEqualTo(m.key(key, r).size());
                // A segment boundary as range start: the classic off-by-one.
                Segment s = segs.get(rnd.nextInt(segs.size()));
                SeqRange fromSeg = SeqRange.from(s.startSequence());
                assertThat(Model.drain(log.scan(key, fromSeg)))
                        .containsExactlyElementsOf(m.key(key, fromSeg));
            }
        }
    }

    @Test
    void keyRangeAndPrefixScans() {
        Random rnd = new Random(3);
        try (Log log = Log.open(config(2048))) {
            Model m = fill(log, rnd, 200, keys());
            List<KeyRange> ranges =
                    List.of(
                            KeyRange.all(),
                            KeyRange.prefix(b("user-1")),
                            KeyRange.prefix(new byte[] {0x00}),
                            KeyRange.prefix(new byte[] {(byte) 0xFF}),
                            KeyRange.between(b("user-15"), b("user-3")),
                            KeyRange.between(new byte[] {0x00, 0x00}, new byte[] {0x01, 0x00}),
                            KeyRange.single(b("user-7")),
                            KeyRange.between(b("zzz"), null));
            long total = m.all.size();
            for (KeyRange kr : ranges) {
                for (SeqRange sr :
                        List.of(SeqRange.all(), SeqRange.between(total / 3, 2 * total / 3))) {
                    List<LogEntry> got = Model.drain(log.scan(kr, sr));
                    List<LogEntry> expected = m.keyRangeByKey(kr, sr);
                    assertThat(got)
                            .as("%s %s", kr, sr)
                            .containsExactlyInAnyOrderElementsOf(expected);
                    // Each key's entries come in sequence order.
                    assertThat(Model.perKey(got)).isEqualTo(Model.perKey(expected));
                    assertThat(Model.drain(log.scanBySequence(kr, sr)))
                            .as("by sequence %s %s", kr, sr)
                            .containsExactlyElementsOf(m.keyRangeBySequence(kr, sr));
                    assertThat(log.count(kr, sr)).isEqualTo(expected.size());
                }
                List<byte[]> expectedKeys = m.byKey.keySet().stream().filter(kr::contains).toList();
                assertThat(Model.drain(log.keys(kr))).containsExactlyElementsOf(expectedKeys);
                assertThat(Model.drain(log.keys(log.segments(), kr)))
                        .containsExactlyElementsOf(expectedKeys);
            }
        }
    }

    @Test
    void latestReturnsEachKeysNewestEntryAcrossSegments() {
        Random rnd = new Random(9);
        try (Log log = Log.open(config(1024))) {
            Model m = fill(log, rnd, 200, keys());
            assertThat(log.segments()).hasSizeGreaterThan(5);
            for (byte[] key : keys()) {
                List<LogEntry> es = m.key(key, SeqRange.all());
                assertThat(log.latest(key))
                        .as("latest of %s", Printable.bytes(key))
                        .isEqualTo(
                                es.isEmpty()
                                        ? java.util.Optional.empty()
                                        : java.util.Optional.of(es.get(es.size() - 1)));
            }
            assertThat(log.latest(b("never-written"))).isEmpty();
        }
    }

    @Test
    void keysOfGivenSegmentsListOnlyKeysWrittenThere() {
        try (Log log = Log.open(config(1024))) {
            log.append(List.of(Record.of("a", "x".repeat(600)), Record.of("c", "x".repeat(600))));
            log.append(List.of(Record.of("b", "y")));
            List<Segment> segs = log.segments();
            assertThat(segs).hasSize(2);
            assertThat(Model.drain(log.keys(List.of(segs.get(0)), KeyRange.all())))
                    .containsExactly(b("a"), b("c"));
            assertThat(Model.drain(log.keys(List.of(segs.get(1)), KeyRange.all())))
                    .containsExactly(b("b"));
            assertThat(Model.drain(log.keys(KeyRange.all())))
                    .containsExactly(b("a"), b("b"), b("c"));
        }
    }

    @Test
    void segmentsRollByTime() {
        long[] now = {1_000_000};
        LogConfig cfg =
                LogConfig.builder(dir.resolve("log"))
                        .segmentRollInterval(Duration.ofSeconds(10))
                        .build();
        try (Log log = Log.open(cfg, new FixedClock(now))) {
            log.append(List.of(Record.of("k", "1")));
            now[0] += 9_999;
            log.append(List.of(Record.of("k", "2")));
            now[0] += 1;
            AppendResult third = log.append(List.of(Record.of("k", "3")));
            assertThat(log.segments())
                    .containsExactly(new Segment(0, 0, 1_000_000), new Segment(1, 2, 1_010_000));
            assertThat(third.segmentId()).isEqualTo(1);
            assertThat(log.sequenceAt(1_000_000)).isEqualTo(0);
            assertThat(log.sequenceAt(1_000_001)).isEqualTo(1);
            assertThat(log.sequenceAt(1_009_999)).isEqualTo(1);
            assertThat(log.sequenceAt(1_010_000)).isEqualTo(2);
            assertThat(log.sequenceAt(2_000_000)).isEqualTo(3);
            assertThat(Model.drain(log.scan("k", SeqRange.all())))
                    .extracting(LogEntry::timestamp)
                    .containsExactly(1_000_000L, 1_009_999L, 1_010_000L);
        }
    }

    @Test
    void reopenKeepsEverythingAndContinuesSequencesAboveTheOldOnes() {
        Random rnd = new Random(4);
        Model m;
        List<Segment> before;
        try (Log log = Log.open(config(4096))) {
            m = fill(log, rnd, 100, keys());
            before = log.segments();
        }
        try (Log log = Log.open(config(4096))) {
            assertThat(log.segments()).isEqualTo(before);
            assertThat(log.nextSequence()).isEqualTo(m.all.size());
            assertThat(Model.drain(log.scanBySequence(KeyRange.all(), SeqRange.all())))
                    .containsExactlyElementsOf(m.all);
            AppendResult r = log.append(List.of(Record.of("after", "reopen")));
            assertThat(r.firstSequence()).isEqualTo(m.all.size());
            assertThat(Model.drain(log.scan("after", SeqRange.all())))
                    .extracting(LogEntry::valueString)
                    .containsExactly("reopen");
        }
    }

    @Test
    void appendAsyncCompletesInQueueOrder() throws Exception {
        try (Log log = Log.open(config(64 << 20))) {
            List<java.util.concurrent.CompletableFuture<AppendResult>> fs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                fs.add(log.appendAsync(List.of(Record.of("k" + (i % 7), "v" + i))));
            }
            for (int i = 0; i < fs.size(); i++) {
                AppendResult r = fs.get(i).get();
                assertThat(r.firstSequence()).isEqualTo(i);
                assertThat(r.count()).isEqualTo(1);
            }
            log.flush();
            List<LogEntry> all = Model.drain(log.scanBySequence(KeyRange.all(), SeqRange.all()));
            assertThat(all)
                    .extracting(LogEntry::valueString)
                    .containsExactlyElementsOf(
                            java.util.stream.IntStream.range(0, 1000)
                                    .mapToObj(i -> "v" + i)
                                    .toList());
        }
    }

    @Test
    void valuesOfEveryLengthRoundTrip() {
        try (Log log = Log.open(config(64 << 20))) {
            byte[] big = new byte[Limits.MAX_VALUE_BYTES];
            new Random(5).nextBytes(big);
            byte[] maxKey = new byte[Limits.MAX_KEY_BYTES];
            Arrays.fill(maxKey, (byte) 0x01);
            log.append(List.of(new Record(maxKey, new byte[0]), new Record(b("big"), big)));
            assertThat(Model.drain(log.scan(maxKey, SeqRange.all())).get(0).value()).isEmpty();
            assertThat(Model.drain(log.scan(b("big"), SeqRange.all())).get(0).value())
                    .isEqualTo(big);
        }
    }
}
