package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage format 2 keeps a group commit's entries of one key in one row (a run). These tests make
 * long runs — few keys, big appends, pipelined appends gathered by the linger, runs cut at their
 * size bound — and read every path with sequence ranges that start and end inside runs.
 */
class RunsTest {
    @TempDir Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static final List<byte[]> KEYS =
            List.of(b("a"), b("b"), new byte[] {0x00}, new byte[] {0x01, 0x00}, b("hot"));

    /** Checks every read path against the model, with random ranges. */
    static void checkAll(LogRead log, Model m, Random rnd) {
        long total = m.all.size();
        assertThat(log.nextSequence()).isEqualTo(total);
        List<SeqRange> ranges = new ArrayList<>(List.of(SeqRange.all()));
        for (int i = 0; i < 25; i++) {
            long from = rnd.nextLong(total + 2);
            ranges.add(SeqRange.between(from, from + rnd.nextLong(total + 2 - from + 1)));
        }
        for (SeqRange r : ranges) {
            for (byte[] key : KEYS) {
                assertThat(Model.drain(log.scan(key, r)))
                        .as("key %s in %s", Printable.bytes(key), r)
                        .containsExactlyElementsOf(m.key(key, r));
                assertThat(log.count(key, r)).isEqualTo(m.key(key, r).size());
            }
            checkKeyRangeScan(Model.drain(log.scan(KeyRange.all(), r)), m, KeyRange.all(), r);
            assertThat(Model.drain(log.scanBySequence(KeyRange.all(), r)))
                    .as("by sequence in %s", r)
                    .containsExactlyElementsOf(m.keyRangeBySequence(KeyRange.all(), r));
            KeyRange some = KeyRange.between(b("a"), b("c"));
            assertThat(Model.drain(log.scanBySequence(some, r)))
                    .containsExactlyElementsOf(m.keyRangeBySequence(some, r));
            checkKeyRangeScan(Model.drain(log.scan(some, r)), m, some, r);
            assertThat(log.count(KeyRange.all(), r))
                    .isEqualTo(m.keyRangeByKey(KeyRange.all(), r).size());
        }
        // The bulk path hands over the same entries as the iterator, in the same order.
        for (boolean bySequence : new boolean[] {false, true}) {
            List<LogEntry> batched = new ArrayList<>();
            try (LogIterator it =
                    bySequence
                            ? log.scanBySequence(KeyRange.all(), SeqRange.all())
                            : log.scan(KeyRange.all(), SeqRange.all())) {
                int n;
                while ((n = it.nextBatch(batched, 1 + rnd.nextInt(300))) > 0) {
                    assertThat(n).isPositive();
                }
                assertThat(it.hasNext()).isFalse();
            }
            assertThat(batched)
                    .containsExactlyElementsOf(
                            Model.drain(
                                    bySequence
                                            ? log.scanBySequence(KeyRange.all(), SeqRange.all())
                                            : log.scan(KeyRange.all(), SeqRange.all())));
        }
        for (byte[] key : KEYS) {
            List<LogEntry> all = m.key(key, SeqRange.all());
            assertThat(log.latest(key))
                    .isEqualTo(
                            all.isEmpty()
                                    ? java.util.Optional.empty()
                                    : java.util.Optional.of(all.get(all.size() - 1)));
        }
    }

    /**
     * A key-range scan goes segment by segment, keys in order within each: every key's entries come
     * out exactly and in sequence order.
     */
    static void checkKeyRangeScan(List<LogEntry> actual, Model m, KeyRange keys, SeqRange r) {
        assertThat(actual).hasSameSizeAs(m.keyRangeByKey(keys, r));
        for (byte[] key : KEYS) {
            if (keys.contains(key)) {
                assertThat(actual.stream().filter(e -> java.util.Arrays.equals(e.key(), key)))
                        .as("key %s of a key-range scan in %s", Printable.bytes(key), r)
                        .containsExactlyElementsOf(m.key(key, r));
            }
        }
    }

    static List<Record> batch(Random rnd, int n, boolean ownTimestamps) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = rnd.nextInt(3) == 0 ? b("hot") : KEYS.get(rnd.nextInt(KEYS.size()));
            byte[] value = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 2000 : 40)];
            rnd.nextBytes(value);
            out.add(
                    ownTimestamps && rnd.nextBoolean()
                            ? new Record(key, value, rnd.nextLong(1L << 40))
                            : new Record(key, value));
        }
        return out;
    }

    /**
     * Many small appends in one open segment: a sequence-order round of few keys reads each key's
     * runs with one seek and nexts, a round of many keys looks runs up one by one. Both read
     * exactly, from the writer and from a reader in the same process.
     */
    @Test
    void sequenceOrderReadsOfTheOpenSegmentAreExactWithFewKeysAndWithMany() {
        Random rnd = new Random(11);
        for (int keyCount : new int[] {KEYS.size(), 400}) {
            Path d = dir.resolve("keys-" + keyCount);
            Model m = new Model();
            try (Log log = Log.open(LogConfig.builder(d).build())) {
                for (int a = 0; a < 3000; a++) {
                    List<Record> records = new ArrayList<>();
                    for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
                        byte[] key =
                                keyCount == KEYS.size()
                                        ? KEYS.get(rnd.nextInt(KEYS.size()))
                                        : b("k" + rnd.nextInt(keyCount));
                        records.add(new Record(key, b("v" + a + "-" + i)));
                    }
                    m.add(records, log.append(records));
                }
                assertThat(log.segments()).hasSize(1); // all of it in the open segment
                assertThat(Model.drain(log.scanBySequence(KeyRange.all(), SeqRange.all())))
                        .containsExactlyElementsOf(m.all);
                for (int r = 0; r < 20; r++) {
                    long from = rnd.nextLong(m.all.size());
                    SeqRange range =
                            SeqRange.between(from, from + rnd.nextLong(m.all.size() - from + 1));
                    KeyRange some = KeyRange.between(b("a"), b("k3"));
                    assertThat(Model.drain(log.scanBySequence(some, range)))
                            .as("%d keys, %s", keyCount, range)
                            .containsExactlyElementsOf(m.keyRangeBySequence(some, range));
                }
                try (LogReader reader = LogReader.open(LogConfig.builder(d).build())) {
                    assertThat(Model.drain(reader.scanBySequence(KeyRange.all(), SeqRange.all())))
                            .containsExactlyElementsOf(m.all);
                }
            }
        }
    }

    @Test
    void bigAppendsOfFewKeysMakeLongAndCutRunsThatReadExactly() {
        Random rnd = new Random(11);
        LogConfig cfg = LogConfig.builder(dir.resolve("log")).segmentRollBytes(300_000).build();
        Model m = new Model();
        try (Log log = Log.open(cfg)) {
            // One key, many more entries than a run holds: the run is cut and continues.
            List<Record> one = new ArrayList<>();
            for (int i = 0; i < 3 * 1024 + 17; i++) {
                one.add(Record.of("hot", "v" + i));
            }
            m.add(one, log.append(one));
            for (int i = 0; i < 40; i++) {
                List<Record> batch = batch(rnd, 1 + rnd.nextInt(400), true);
                m.add(batch, log.append(batch));
            }
            assertThat(log.segments()).hasSizeGreaterThan(2);
            checkAll(log, m, rnd);
        }
        // Reopened: the open segment's runs are recounted, and the reader of another process
        // reads the same.
        try (Log log = Log.open(cfg)) {
            checkAll(log, m, rnd);
            List<Record> batch = batch(rnd, 100, false);
            m.add(batch, log.append(batch));
            checkAll(log, m, rnd);
            try (LogReader reader = LogReader.open(cfg)) {
                checkAll(reader, m, rnd);
            }
        }
    }

    @Test
    void pipelinedAppendsLingerIntoOneGroupAndKeepTheirOwnResults() throws Exception {
        Random rnd = new Random(12);
        LogConfig cfg =
                LogConfig.builder(dir.resolve("log"))
                        .appendLinger(Duration.ofMillis(50))
                        .segmentRollBytes(200_000)
                        .build();
        Model m = new Model();
        try (Log log = Log.open(cfg)) {
            for (int round = 0; round < 20; round++) {
                List<List<Record>> batches = new ArrayList<>();
                List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    List<Record> batch = batch(rnd, 1 + rnd.nextInt(30), round % 2 == 0);
                    batches.add(batch);
                    futures.add(log.appendAsync(batch));
                }
                long expectedFirst = m.all.size();
                for (int i = 0; i < batches.size(); i++) {
                    AppendResult r = futures.get(i).get();
                    assertThat(r.firstSequence()).isEqualTo(expectedFirst);
                    assertThat(r.count()).isEqualTo(batches.get(i).size());
                    expectedFirst += r.count();
                    m.add(batches.get(i), r);
                }
            }
            checkAll(log, m, rnd);
        }
        // A blocking append ends the linger of the pipelined appends queued before it.
        LogConfig slow =
                LogConfig.builder(dir.resolve("slow")).appendLinger(Duration.ofSeconds(1)).build();
        try (Log log = Log.open(slow)) {
            CompletableFuture<AppendResult> pipelined =
                    log.appendAsync(List.of(Record.of("a", "1")));
            long started = System.nanoTime();
            assertThat(log.append(List.of(Record.of("a", "2"))).firstSequence()).isEqualTo(1);
            assertThat(System.nanoTime() - started)
                    .as("the blocking append waited for the 1 s linger")
                    .isLessThan(Duration.ofMillis(900).toNanos());
            assertThat(pipelined.get().firstSequence()).isZero();
        }
    }

    /** Rows of the entries column family, counted through the storage layer after close. */
    static long entryRows(Path logDir) {
        try (io.lsmlog.storage.Store store =
                        io.lsmlog.storage.Store.open(
                                LogConfig.builder(logDir).build(),
                                io.lsmlog.storage.Store.Mode.WRITER,
                                null);
                org.rocksdb.RocksIterator it = store.db.newIterator(store.entries)) {
            long n = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
            }
            return n;
        }
    }

    private static List<Record> roundRobin(int n, int keys) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Record.of("k" + (i % keys), "v" + i));
        }
        return out;
    }

    @Test
    void anAppendWritesOneRowPerKeyAndALingeringGroupOnePerKeyForAll() throws Exception {
        Path one = dir.resolve("one");
        try (Log log = Log.open(LogConfig.builder(one).build())) {
            log.append(roundRobin(2000, 4));
            // 1,024 entries at most per run: one key's 3,000 entries take three rows.
            log.append(roundRobin(3000, 1));
            System.err.println(
                    "DBG keys "
                            + Model.drain(log.keys(KeyRange.all())).size()
                            + " count "
                            + log.count(KeyRange.all(), SeqRange.all()));
        }
        assertThat(entryRows(one)).isEqualTo(4 + 3);

        Path lingered = dir.resolve("lingered");
        LogConfig cfg = LogConfig.builder(lingered).appendLinger(Duration.ofMillis(500)).build();
        try (Log log = Log.open(cfg)) {
            List<CompletableFuture<AppendResult>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fs.add(log.appendAsync(roundRobin(100, 4)));
            }
            for (CompletableFuture<AppendResult> f : fs) {
                f.get();
            }
            assertThat(Model.drain(log.scan("k3", SeqRange.all()))).hasSize(250);
        }
        // Ten appends in one group: a row per key (a slow machine may split the group once).
        assertThat(entryRows(lingered)).isBetween(4L, 8L);
    }
}
