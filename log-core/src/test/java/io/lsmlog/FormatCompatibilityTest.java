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

/**
 * A log written by the first version of the on-disk format (committed under
 * src/test/resources/fixtures/format-v1, made by {@link FormatFixture}) still opens and reads
 * exactly — the start of format compatibility tests: a change that breaks it must bump the format
 * version and migrate.
 */
class FormatCompatibilityTest {
    @TempDir Path tmp;

    private Path copyOfFixture() throws IOException {
        Path src = Path.of("src", "test", "resources", "fixtures", "format-v1");
        Path dst = tmp.resolve("format-v1");
        Files.createDirectories(dst);
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    @Test
    void theFirstFormatReadsExactly() throws IOException {
        Path dir = copyOfFixture();
        List<LogEntry> expected = new ArrayList<>();
        long seq = 0;
        for (int s = 0; s < 3; s++) {
            for (Record r : FormatFixture.records(s)) {
                expected.add(new LogEntry(r.key(), seq++, r.timestamp(), r.value()));
            }
        }
        try (LogReader r = LogReader.open(LogConfig.builder(dir).build())) {
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
        }
        // And the writer opens it and continues above it.
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            assertThat(log.append(List.of(Record.of("new", "x"))).firstSequence()).isEqualTo(60);
        }
    }
}
