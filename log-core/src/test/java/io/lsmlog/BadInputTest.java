package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {
    @TempDir Path dir;

    private LogConfig cfg() {
        return LogConfig.builder(dir.resolve("log")).build();
    }

    private static void assertIntact(Log log) {
        assertThat(Model.drain(log.scan("k", SeqRange.all())))
                .extracting(LogEntry::valueString)
                .containsExactly("v");
        assertThat(log.nextSequence()).isEqualTo(1);
    }

    @Test
    void secondWriterInTheSameProcessIsRefusedNamingTheDirectory() {
        try (Log log = Log.open(cfg())) {
            log.append(List.of(Record.of("k", "v")));
            assertThatThrownBy(() -> Log.open(cfg()))
                    .isInstanceOf(LogLockedException.class)
                    .hasMessageContaining(dir.resolve("log").toString())
                    .hasMessageContaining("LogReader");
            assertIntact(log);
        }
    }

    @Test
    void appendAndReadsAfterCloseAreClosedErrors() {
        Log log = Log.open(cfg());
        log.append(List.of(Record.of("k", "v")));
        log.close();
        assertThatThrownBy(() -> log.append(List.of(Record.of("k", "w"))))
                .isInstanceOf(LogClosedException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> log.scan("k", SeqRange.all()))
                .isInstanceOf(LogClosedException.class);
        assertThatThrownBy(log::nextSequence).isInstanceOf(LogClosedException.class);
        assertThatThrownBy(() -> log.awaitSequence(5).join())
                .hasCauseInstanceOf(LogClosedException.class);
        log.close(); // idempotent
        try (Log again = Log.open(cfg())) {
            assertIntact(again);
        }
    }

    @Test
    void oversizedOrEmptyKeysAndOversizedValuesAreRejectedWithTheLimit() {
        try (Log log = Log.open(cfg())) {
            log.append(List.of(Record.of("k", "v")));
            assertThatThrownBy(() -> log.append(List.of(new Record(new byte[0], new byte[1]))))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("key must be 1..4096 bytes, got 0");
            assertThatThrownBy(
                            () ->
                                    log.append(
                                            List.of(
                                                    Record.of("ok", "x"),
                                                    new Record(new byte[4097], new byte[1]))))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("record 1")
                    .hasMessageContaining("got 4097");
            assertThatThrownBy(
                            () ->
                                    log.append(
                                            List.of(
                                                    new Record(
                                                            "big".getBytes(),
                                                            new byte[Limits.MAX_VALUE_BYTES + 1]))))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("value must be at most 16777216 bytes");
            assertThatThrownBy(() -> log.append(List.of()))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("at least one record");
            assertThatThrownBy(() -> log.append(List.of(Record.of("k", "v", -5))))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("timestamp");
            assertThatThrownBy(() -> log.scan(new byte[0], SeqRange.all()))
                    .isInstanceOf(InvalidArgumentException.class);
            // The failed batch with one valid record wrote nothing.
            assertThat(Model.drain(log.scan("ok", SeqRange.all()))).isEmpty();
            assertIntact(log);
        }
    }

    @Test
    void invalidConfigurationNamesTheOption() {
        LogConfig.Builder b = LogConfig.builder(dir);
        assertThatThrownBy(() -> LogConfig.builder(dir).segmentRollBytes(10).build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("segmentRollBytes");
        assertThatThrownBy(() -> LogConfig.builder(dir).segmentRollInterval(Duration.ZERO).build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("segmentRollInterval");
        assertThatThrownBy(() -> LogConfig.builder(dir).writeQueueCapacity(0).build())
                .hasMessageContaining("writeQueueCapacity");
        assertThatThrownBy(
                        () ->
                                LogConfig.builder(dir)
                                        .segmentRollInterval(null)
                                        .segmentRollBytes(Long.MAX_VALUE)
                                        .retentionMaxAge(Duration.ofHours(1))
                                        .build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("needs segments that roll");
        assertThatThrownBy(() -> LogConfig.builder(null).build()).hasMessageContaining("directory");
        assertThatThrownBy(() -> SeqRange.between(5, 3))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> KeyRange.between("b".getBytes(), "a".getBytes()))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(b.build().directory()).isEqualTo(dir.toAbsolutePath());
    }

    @Test
    void aDirectoryWithOtherFilesIsNotTurnedIntoALog() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> Log.open(LogConfig.builder(dir).build()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("not empty and holds no log");
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void aDamagedManifestPointerIsATypedErrorNamingTheDirectory() throws Exception {
        try (Log log = Log.open(cfg())) {
            log.append(List.of(Record.of("k", "v")));
        }
        // Damage the manifest pointer: the log must refuse to open with a typed error.
        Files.writeString(dir.resolve("log").resolve("CURRENT"), "MANIFEST-999999\n");
        assertThatThrownBy(() -> Log.open(cfg()))
                .isInstanceOf(LogException.class)
                .isNotInstanceOf(LogLockedException.class)
                .hasMessageContaining(dir.resolve("log").toString());
    }

    @Test
    void aSecondWriterThroughASymbolicLinkIsRefusedAndLosesNothing() throws Exception {
        Path link = dir.resolve("link");
        try (Log log = Log.open(cfg())) {
            log.append(List.of(Record.of("k", "v")));
            java.nio.file.Files.createSymbolicLink(link, dir.resolve("log"));
            assertThatThrownBy(() -> Log.open(LogConfig.builder(link).sync(true).build()))
                    .isInstanceOf(LogLockedException.class)
                    .hasMessageContaining(link.toString())
                    .hasMessageContaining(dir.resolve("log").toRealPath().toString());
            assertIntact(log);
        }
        // Closed, the log opens through the link and holds what the first writer wrote.
        try (Log log = Log.open(LogConfig.builder(link).build())) {
            assertIntact(log);
        }
    }

    @Test
    void aForeignRocksDbDatabaseIsNotTakenOver() throws Exception {
        Path foreign = dir.resolve("foreign");
        org.rocksdb.RocksDB.loadLibrary();
        try (org.rocksdb.Options o = new org.rocksdb.Options().setCreateIfMissing(true);
                org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(o, foreign.toString())) {
            db.put("theirs".getBytes(), "data".getBytes());
        }
        assertThatThrownBy(() -> Log.open(LogConfig.builder(foreign).build()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(foreign.toString())
                .hasMessageContaining("not a log");
        try (org.rocksdb.Options o = new org.rocksdb.Options()) {
            assertThat(org.rocksdb.RocksDB.listColumnFamilies(o, foreign.toString()))
                    .as("no column family of ours was added")
                    .hasSize(1);
            try (org.rocksdb.RocksDB db = org.rocksdb.RocksDB.openReadOnly(o, foreign.toString())) {
                assertThat(db.get("theirs".getBytes())).containsExactly("data".getBytes());
            }
        }
    }

    @Test
    void anIteratorStopsWhenItsLogClosesEvenWithEntriesBuffered() {
        Log log = Log.open(cfg());
        List<Record> records = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(Record.of("k", "v" + i));
        }
        log.append(records);
        LogIterator it = log.scan("k", SeqRange.all());
        assertThat(it.next().valueString()).isEqualTo("v0"); // a run's entries are buffered now
        log.close();
        assertThatThrownBy(it::hasNext)
                .isInstanceOf(LogClosedException.class)
                .hasMessageContaining(dir.resolve("log").toString());
        it.close();
    }

    @Test
    void nullMarkersAndNullDurationsAreTypedErrors() {
        assertThatThrownBy(
                        () ->
                                LogConfig.builder(dir.resolve("log"))
                                        .readerRefreshInterval(null)
                                        .build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("readerRefreshInterval");
        assertThatThrownBy(() -> LogConfig.builder(dir.resolve("log")).appendLinger(null).build())
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("appendLinger");
        try (Log log = Log.open(cfg())) {
            log.append(List.of(Record.of("k", "v")));
            List<Record> more = List.of(Record.of("k", "w"));
            assertThatThrownBy(() -> log.appendWithMarker(more, null, new Marker(1, 1)))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("marker id");
            assertThatThrownBy(() -> log.appendWithMarker(more, "producer", null))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("marker");
            assertIntact(log);
        }
    }
}
