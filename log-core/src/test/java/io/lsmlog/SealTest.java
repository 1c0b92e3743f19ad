package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

/**
 * A segment that seals is rewritten once into per-key chunks in the {@code sealed} family and its
 * runs are deleted. Reads are exact before, during and after; a seal stopped at any step (as a
 * crash would stop it) is finished when the log opens again.
 */
class SealTest {
    private static final String STOP = "lsmlog.test.sealStop";

    @TempDir Path dir;

    @AfterEach
    void clearStop() {
        System.clearProperty(STOP);
    }

    private LogConfig config() {
        return LogConfig.builder(dir.resolve("log")).segmentRollBytes(40_000).build();
    }

    private static Model fill(Log log, Random rnd, int appends) {
        Model m = new Model();
        for (int i = 0; i < appends; i++) {
            List<Record> batch = RunsTest.batch(rnd, 1 + rnd.nextInt(200), true);
            m.add(batch, log.append(batch));
        }
        return m;
    }

    /** Rows per family, per segment id, read through the storage layer after the log closed. */
    private static long[][] rows(Path logDir, int segments) {
        long[][] out = new long[2][segments];
        try (Store store = Store.open(LogConfig.builder(logDir).build(), Store.Mode.WRITER, null)) {
            int f = 0;
            for (var family : List.of(store.entries, store.sealed)) {
                try (RocksIterator it = store.db.newIterator(family)) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        out[f][KeyCodec.entrySegment(it.key())]++;
                    }
                }
                f++;
            }
        }
        return out;
    }

    @Test
    void sealedSegmentsBecomeChunksAndEveryReadStaysExact() {
        Random rnd = new Random(21);
        Model m;
        int segments;
        try (Log log = Log.open(config())) {
            m = fill(log, rnd, 150);
            segments = log.segments().size();
            assertThat(segments).isGreaterThan(5);
            assertThat(log.awaitSealing(Duration.ofMinutes(1))).isEqualTo(segments - 1);
            RunsTest.checkAll(log, m, rnd);
            try (LogReader reader = LogReader.open(config())) {
                RunsTest.checkAll(reader, m, rnd);
            }
        }
        long[][] rows = rows(dir.resolve("log"), segments);
        for (int s = 0; s < segments - 1; s++) {
            assertThat(rows[0][s]).as("runs left in sealed segment %d", s).isZero();
            // Five keys, a few windows: a handful of chunks, far fewer than runs.
            assertThat(rows[1][s]).as("chunks of segment %d", s).isBetween(1L, 60L);
        }
        assertThat(rows[0][segments - 1]).as("runs of the open segment").isPositive();
        assertThat(rows[1][segments - 1]).as("chunks of the open segment").isZero();
        try (Log log = Log.open(config())) {
            RunsTest.checkAll(log, m, rnd);
        }
    }

    @Test
    void aSealStoppedAfterItsFileIsRebuiltOnOpen() throws Exception {
        Random rnd = new Random(22);
        System.setProperty(STOP, "after-file");
        Model m;
        try (Log log = Log.open(config())) {
            m = fill(log, rnd, 80);
            log.awaitSealing(Duration.ofMinutes(1));
            RunsTest.checkAll(log, m, rnd);
        }
        try (Stream<Path> files = Files.list(dir.resolve("log").resolve(Store.SEALING_DIR))) {
            assertThat(files.count()).as("files a crash left in sealing/").isPositive();
        }
        System.clearProperty(STOP);
        try (Log log = Log.open(config())) {
            assertThat(log.awaitSealing(Duration.ofMinutes(1)))
                    .isEqualTo(log.segments().size() - 1);
            RunsTest.checkAll(log, m, rnd);
        }
        try (Stream<Path> files = Files.list(dir.resolve("log").resolve(Store.SEALING_DIR))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void aSealStoppedAfterItsIngestReadsEachEntryOnceAndIsFinishedOnOpen() {
        Random rnd = new Random(23);
        System.setProperty(STOP, "after-ingest");
        Model m;
        int segments;
        try (Log log = Log.open(config())) {
            m = fill(log, rnd, 80);
            log.awaitSealing(Duration.ofMinutes(1));
            segments = log.segments().size();
            // Chunks and runs both there: every read takes the chunks only.
            RunsTest.checkAll(log, m, rnd);
        }
        long[][] before = rows(dir.resolve("log"), segments);
        assertThat(before[0][0]).isPositive();
        assertThat(before[1][0]).isPositive();
        System.clearProperty(STOP);
        try (Log log = Log.open(config())) {
            log.awaitSealing(Duration.ofMinutes(1));
            RunsTest.checkAll(log, m, rnd);
        }
        long[][] after = rows(dir.resolve("log"), segments);
        for (int s = 0; s < segments - 1; s++) {
            assertThat(after[0][s]).as("runs left in segment %d", s).isZero();
            assertThat(after[1][s]).isEqualTo(before[1][s]);
        }
    }

    /** Readers racing the seals: every scan returns exactly the log below its frontier. */
    @Test
    void readersWhileSegmentsSealSeeEveryEntryExactlyOnce() throws Exception {
        Random rnd = new Random(24);
        LogConfig cfg = LogConfig.builder(dir.resolve("log")).segmentRollBytes(20_000).build();
        List<LogEntry> written = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Log log = Log.open(cfg);
                LogReader reader = LogReader.open(cfg)) {
            Thread writer =
                    new Thread(
                            () -> {
                                Model m = new Model();
                                for (int i = 0; i < 300; i++) {
                                    List<Record> batch =
                                            RunsTest.batch(rnd, 1 + rnd.nextInt(60), true);
                                    AppendResult r = log.append(batch);
                                    m.add(batch, r);
                                    written.addAll(m.all.subList(written.size(), m.all.size()));
                                }
                            });
            writer.start();
            int scans = 0;
            while (writer.isAlive() || scans < 5) {
                for (LogRead r : List.of(log, reader)) {
                    // Below the frontier and acknowledged to the writer thread.
                    long frontier = Math.min(r.nextSequence(), written.size());
                    SeqRange upTo = SeqRange.between(0, frontier);
                    List<LogEntry> expected;
                    // A view of a synchronized list is not: copy it under the list's lock.
                    synchronized (written) {
                        expected = List.copyOf(written.subList(0, (int) frontier));
                    }
                    try {
                        assertThat(Model.drain(r.scanBySequence(KeyRange.all(), upTo)))
                                .as("%s, segments %s", r == log ? "writer" : "reader", r.segments())
                                .containsExactlyElementsOf(expected);
                        assertThat(Model.drain(r.scan(KeyRange.all(), upTo)))
                                .hasSameSizeAs(expected)
                                .containsExactlyInAnyOrderElementsOf(expected);
                        assertThat(r.count(KeyRange.all(), upTo)).isEqualTo(frontier);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }
                reader.refresh();
                scans++;
            }
            writer.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    /** A sealed segment of several windows: every read crosses window boundaries exactly. */
    @Test
    void aSegmentOfManyWindowsReadsExactlyAcrossTheirBoundaries() {
        Random rnd = new Random(25);
        LogConfig cfg = LogConfig.builder(dir.resolve("log")).segmentRollBytes(3_000_000).build();
        Model m = new Model();
        try (Log log = Log.open(cfg)) {
            // A key that only the first window holds: latest() must look past the newer windows.
            List<Record> early = List.of(Record.of("only-in-window-0", "early"));
            m.add(early, log.append(early));
            // ~150,000 small entries in the first segment: three windows of 65,536 sequences.
            while (log.segments().size() < 2) {
                List<Record> batch = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    byte[] key = RunsTest.KEYS.get(rnd.nextInt(RunsTest.KEYS.size()));
                    byte[] value = new byte[rnd.nextInt(12)];
                    rnd.nextBytes(value);
                    batch.add(new Record(key, value));
                }
                m.add(batch, log.append(batch));
            }
            log.awaitSealing(Duration.ofMinutes(1));
            long windowEdge = log.segments().get(0).startSequence() + (1 << 16);
            Random ranges = new Random(26);
            for (int t = 0; t < 6; t++) {
                long from = windowEdge - 3000 + ranges.nextInt(6000) + (t % 2) * (1 << 16);
                SeqRange r = SeqRange.between(from, from + ranges.nextInt(140_000));
                for (byte[] key : RunsTest.KEYS) {
                    assertThat(Model.drain(log.scan(key, r)))
                            .as("key %s in %s", Printable.bytes(key), r)
                            .containsExactlyElementsOf(m.key(key, r));
                    assertThat(log.count(key, r)).isEqualTo(m.key(key, r).size());
                }
                assertThat(Model.drain(log.scanBySequence(KeyRange.all(), r)))
                        .containsExactlyElementsOf(m.keyRangeBySequence(KeyRange.all(), r));
                KeyRange some = KeyRange.between("a".getBytes(), "c".getBytes());
                assertThat(Model.drain(log.scanBySequence(some, r)))
                        .containsExactlyElementsOf(m.keyRangeBySequence(some, r));
                RunsTest.checkKeyRangeScan(Model.drain(log.scan(some, r)), m, some, r);
            }
            for (byte[] key : RunsTest.KEYS) {
                List<LogEntry> all = m.key(key, SeqRange.all());
                assertThat(log.latest(key)).contains(all.get(all.size() - 1));
            }
            assertThat(log.latest("only-in-window-0".getBytes()))
                    .map(LogEntry::valueString)
                    .contains("early");
            assertThat(log.latest("in-no-window".getBytes())).isEmpty();
            try (LogReader reader = LogReader.open(cfg)) {
                assertThat(reader.latest("only-in-window-0".getBytes()))
                        .map(LogEntry::valueString)
                        .contains("early");
            }
        }
    }
}
