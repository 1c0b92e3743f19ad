package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logs written by every version of the on-disk format (committed under
 * src/test/resources/fixtures/format-vN, made by {@link FormatFixture} with the build of that
 * version) still open and read exactly, under both RocksDB builds (CI runs log-core's tests on
 * rocksdbjni and frocksdbjni): a change that breaks one must bump the format version and migrate.
 * Version 1 stores one entry per row, version 2 runs of a key's entries per row.
 */
class FormatCompatibilityTest {
    @TempDir Path tmp;

    private Path copyOfFixture(String name) throws IOException {
        Path src = Path.of("src", "test", "resources", "fixtures", name);
        Path dst = tmp.resolve(name);
        Files.createDirectories(dst);
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    @ParameterizedTest
    @ValueSource(strings = {"format-v1", "format-v2"})
    void everyFormatReadsExactly(String fixture) throws IOException {
        Path dir = copyOfFixture(fixture);
        List<LogEntry> expected = fixtureEntries();
        try (LogReader r = LogReader.open(LogConfig.builder(dir).build())) {
            checkFixture(r, expected);
        }
        if (fixture.equals("format-v2")) {
            // The fixture holds both shapes of the format: sealed segments as chunks, the open
            // one as runs.
            try (io.lsmlog.storage.Store store =
                    io.lsmlog.storage.Store.open(
                            LogConfig.builder(dir).build(),
                            io.lsmlog.storage.Store.Mode.SECONDARY,
                            Files.createDirectories(tmp.resolve("secondary")))) {
                assertThat(store.isChunked(0)).isTrue();
                assertThat(store.isChunked(1)).isTrue();
                assertThat(store.isChunked(2)).isFalse();
            } catch (org.rocksdb.RocksDBException e) {
                throw new AssertionError(e);
            }
        }
        // And the writer opens it and continues above it.
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            assertThat(log.append(List.of(Record.of("new", "x"))).firstSequence()).isEqualTo(60);
        }
    }

    /**
     * A writer upgrades a format-1 log in place: its old rows stay as they are, new appends are
     * runs, and every read sees both shapes exactly — in the same segment and in new ones.
     */
    @Test
    void aFirstFormatLogUpgradedByAWriterReadsOldRowsAndNewRunsTogether() throws IOException {
        Path dir = copyOfFixture("format-v1");
        List<LogEntry> expected = new ArrayList<>(fixtureEntries());
        LogConfig cfg = LogConfig.builder(dir).segmentRollBytes(2048).build();
        try (Log log = Log.open(cfg)) {
            for (int round = 0; round < 6; round++) {
                List<Record> batch = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    batch.add(
                            new Record(
                                    ("key-" + (i % 4)).getBytes(),
                                    ("r" + round + "-" + i).getBytes(),
                                    5_000_000L + i));
                }
                AppendResult a = log.append(batch);
                for (int i = 0; i < batch.size(); i++) {
                    Record r = batch.get(i);
                    expected.add(
                            new LogEntry(r.key(), a.firstSequence() + i, r.timestamp(), r.value()));
                }
            }
            assertThat(log.segments().size()).isGreaterThan(3);
            checkMixed(log, expected);
        }
        try (LogReader r = LogReader.open(cfg)) {
            checkMixed(r, expected);
        }
        try (io.lsmlog.storage.Store store =
                io.lsmlog.storage.Store.open(
                        cfg,
                        io.lsmlog.storage.Store.Mode.SECONDARY,
                        Files.createDirectories(tmp.resolve("secondary")))) {
            assertThat(store.db.get(store.meta, io.lsmlog.storage.MetaCodec.FORMAT_KEY))
                    .containsExactly(0, 0, 0, 2);
        } catch (org.rocksdb.RocksDBException e) {
            throw new AssertionError(e);
        }
    }

    private static void checkMixed(LogRead r, List<LogEntry> expected) {
        assertThat(Model.drain(r.scanBySequence(KeyRange.all(), SeqRange.all())))
                .containsExactlyElementsOf(expected);
        for (String key : List.of("key-0", "key-1", "key-3")) {
            for (SeqRange range :
                    List.of(SeqRange.all(), SeqRange.from(45), SeqRange.between(10, 150))) {
                List<LogEntry> want =
                        expected.stream()
                                .filter(e -> e.keyString().equals(key))
                                .filter(e -> range.contains(e.sequence()))
                                .toList();
                assertThat(Model.drain(r.scan(key, range))).containsExactlyElementsOf(want);
                assertThat(r.count(key.getBytes(), range)).isEqualTo(want.size());
            }
            List<LogEntry> all = expected.stream().filter(e -> e.keyString().equals(key)).toList();
            assertThat(r.latest(key.getBytes())).contains(all.get(all.size() - 1));
        }
        assertThat(Model.drain(r.scan(KeyRange.all(), SeqRange.all())))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<LogEntry> fixtureEntries() {
        List<LogEntry> expected = new ArrayList<>();
        long seq = 0;
        for (int s = 0; s < 3; s++) {
            for (Record r : FormatFixture.records(s)) {
                expected.add(new LogEntry(r.key(), seq++, r.timestamp(), r.value()));
            }
        }
        return expected;
    }

    private static void checkFixture(LogReader r, List<LogEntry> expected) {
        {
            assertThat(r.nextSequence()).isEqualTo(60);
            assertThat(r.segments())
                    .containsExactly(
                            new Segment(0, 0, FormatFixture.TIMES[0]),
                            new Segment(1, 20, FormatFixture.TIMES[1]),
                            new Segment(2, 40, FormatFixture.TIMES[2]));
            assertThat(Model.drain(r.scanBySequence(KeyRange.all(), SeqRange.all())))
                    .containsExactlyElementsOf(expected);
            assertThat(Model.drain(r.scan("key-1", SeqRange.all())))
                    .containsExactlyElementsOf(
                            expected.stream().filter(e -> e.keyString().equals("key-1")).toList());
            assertThat(r.count(KeyRange.prefix(new byte[] {0x00}), SeqRange.all())).isEqualTo(12);
            assertThat(r.sequenceAt(FormatFixture.TIMES[1])).isEqualTo(20);
            assertThat(r.latest("key-2".getBytes())).contains(expected.get(58));
        }
    }
}
