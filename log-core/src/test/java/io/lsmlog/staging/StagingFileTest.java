package io.lsmlog.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingFileTest {
    @TempDir Path tmp;

    @Test
    void stagingFilesRoundTripWithChecksums() throws IOException {
        Path f = tmp.resolve(StagingFile.name("my sink/1", 2, 5));
        assertThat(StagingFile.parse(f.getFileName().toString()))
                .isEqualTo(new StagingFile.Name("my sink/1", 2, 5));
        assertThat(StagingFile.parse("LOCK")).isNull();
        Random rnd = new Random(1);
        List<Record> written = new ArrayList<>();
        try (StagingFile.Writer w = new StagingFile.Writer(f)) {
            for (int i = 0; i < 5000; i++) {
                byte[] key = new byte[1 + rnd.nextInt(20)];
                byte[] value = new byte[rnd.nextInt(300)];
                rnd.nextBytes(key);
                rnd.nextBytes(value);
                Record r = i % 3 == 0 ? new Record(key, value, i) : new Record(key, value);
                w.write(r);
                written.add(r);
            }
            w.commitDurably();
        }
        List<Record> read = new ArrayList<>();
        try (StagingFile.Reader r = new StagingFile.Reader(f)) {
            r.skip(10);
            for (List<Record> chunk; !(chunk = r.next(777, Long.MAX_VALUE)).isEmpty(); ) {
                read.addAll(chunk);
            }
        }
        assertThat(read).containsExactlyElementsOf(written.subList(10, written.size()));

        // Flip one byte in the middle: the reader reports corruption, never wrong records.
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(f, bytes);
        assertThatThrownBy(
                        () -> {
                            try (StagingFile.Reader r = new StagingFile.Reader(f)) {
                                while (!r.next(1000, Long.MAX_VALUE).isEmpty()) {}
                            }
                        })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt");
    }
}
