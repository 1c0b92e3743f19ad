package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files: a log with a missing, truncated or overwritten table file, MANIFEST or CURRENT is
 * refused with {@link LogCorruptedException} by writers and readers alike, never shown as a log
 * with fewer entries; a WAL whose last record was cut short recovers to the last whole batch.
 */
class DamagedFilesTest {
    private static final int RECORDS = 20_000;

    @TempDir Path tmp;
    private Path log;

    @BeforeEach
    void writeALogOfManyTableFiles() {
        log = tmp.resolve("log");
        try (Log l = Log.open(LogConfig.builder(log).writeBufferBytes(65536).build())) {
            List<Record> batch = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                batch.add(Record.of("k" + (i % 100), "value-" + i));
                if (batch.size() == 500) {
                    l.append(batch);
                    batch.clear();
                }
            }
        }
    }

    private List<Path> tableFiles() throws IOException {
        try (Stream<Path> s = Files.list(log)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".sst"))
                    .sorted(Comparator.comparingLong(DamagedFilesTest::size).reversed())
                    .toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertRefusedByWriterAndReader() {
        assertThatThrownBy(() -> LogReader.open(LogConfig.builder(log).build()).close())
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining(log.toString());
        assertThatThrownBy(() -> Log.open(LogConfig.builder(log).build()).close())
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining(log.toString());
    }

    @Test
    void aMissingTableFileIsRefused() throws Exception {
        List<Path> tables = tableFiles();
        assertThat(tables).hasSizeGreaterThan(2);
        Files.delete(tables.get(0));
        assertRefusedByWriterAndReader();
    }

    @Test
    void aTruncatedTableFileIsRefused() throws Exception {
        Path table = tableFiles().get(0);
        try (RandomAccessFile f = new RandomAccessFile(table.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertRefusedByWriterAndReader();
    }

    @Test
    void aTableFileWithAnOverwrittenBlockFailsTheReadThatMeetsIt() throws Exception {
        // A table file starts with its data blocks (index and filter blocks are at its end).
        overwrite(tableFiles().get(0), 64);
        // Opening checks only that files are there whole; the block checksum catches the damage
        // when a read meets it, and the read fails: no scan returns fewer entries silently.
        assertThatThrownBy(
                        () -> {
                            try (LogReader r = LogReader.open(LogConfig.builder(log).build())) {
                                Model.drain(r.scan(KeyRange.all(), SeqRange.all()));
                            }
                        })
                .isInstanceOf(LogCorruptedException.class);
        assertThatThrownBy(
                        () -> {
                            try (Log l = Log.open(LogConfig.builder(log).build())) {
                                Model.drain(l.scanBySequence(KeyRange.all(), SeqRange.all()));
                            }
                        })
                .isInstanceOf(LogCorruptedException.class);
    }

    @Test
    void aDamagedManifestIsRefused() throws Exception {
        overwrite(manifest(), size(manifest()) / 2);
        assertRefusedByWriterAndReader();
    }

    @Test
    void aMissingManifestIsRefused() throws Exception {
        Files.delete(manifest());
        assertRefusedByWriterAndReader();
    }

    @Test
    void aCurrentNamingNoManifestIsRefused() throws Exception {
        Files.writeString(log.resolve("CURRENT"), "MANIFEST-999999\n");
        assertRefusedByWriterAndReader();
    }

    @Test
    void aWriteAheadLogCutInsideItsLastRecordRecoversToTheLastWholeBatch() throws Exception {
        Path copy = tmp.resolve("copy");
        try (Log l = Log.open(LogConfig.builder(log).sync(true).build())) {
            for (int b = 0; b < 10; b++) {
                List<Record> batch = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    batch.add(Record.of("w" + (i % 7), "batch-" + b + "-" + i));
                }
                l.append(batch);
            }
            // A copy taken while the writer runs: its newest WAL holds the batches above.
            Files.createDirectories(copy);
            try (Stream<Path> s = Files.list(log)) {
                for (Path p : s.toList()) {
                    Files.copy(p, copy.resolve(p.getFileName()));
                }
            }
        }
        Path wal;
        try (Stream<Path> s = Files.list(copy)) {
            wal =
                    s.filter(p -> p.getFileName().toString().endsWith(".log"))
                            .max(Comparator.naturalOrder())
                            .orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
            f.setLength(f.length() - 100); // inside the last batch's record
        }
        try (Log l = Log.open(LogConfig.builder(copy).build())) {
            long expected = RECORDS + 9 * 50L;
            assertThat(l.nextSequence()).isEqualTo(expected);
            List<LogEntry> all = Model.drain(l.scanBySequence(KeyRange.all(), SeqRange.all()));
            assertThat(all).hasSize((int) expected);
            List<LogEntry> tail = all.subList(RECORDS, all.size());
            for (int i = 0; i < tail.size(); i++) {
                assertThat(tail.get(i).valueString()).isEqualTo("batch-" + i / 50 + "-" + i % 50);
            }
            // The writer goes on at the next sequence.
            assertThat(l.append(List.of(Record.of("w0", "after"))).firstSequence())
                    .isEqualTo(expected);
        }
    }

    private Path manifest() throws IOException {
        try (Stream<Path> s = Files.list(log)) {
            return s.filter(p -> p.getFileName().toString().startsWith("MANIFEST-"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static void overwrite(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            byte[] junk = new byte[Math.min(256, (int) (f.length() - at))];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            f.write(junk);
        }
    }
}
