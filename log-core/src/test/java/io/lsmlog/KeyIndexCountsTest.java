package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer keeps the open segment's per-key counts in memory and writes them at the seal: sealed
 * segments' counts stay exact across seals, reopens (what was kept is lost, as in a crash) and many
 * appends to the same keys.
 */
class KeyIndexCountsTest {
    @TempDir Path dir;

    private static List<Record> records(String key, int n) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Record.of(key, "v" + i));
        }
        return out;
    }

    private LogConfig config() {
        return LogConfig.builder(dir).segmentRollBytes(4096).build();
    }

    /** Appends ~5 KB to key "filler" so the next append rolls a new segment. */
    private static void fill(Log log) {
        log.append(List.of(Record.of("filler", "x".repeat(5000))));
    }

    @Test
    void sealedCountsAreExactAfterManyAppendsToTheSameKeys() {
        try (Log log = Log.open(config())) {
            for (int i = 0; i < 10; i++) {
                log.append(records("a", 3));
                log.append(records("b", 1));
            }
            fill(log);
            log.append(records("a", 2)); // rolls: segment 0 sealed with a=30, b=10
            assertThat(log.segments()).hasSize(2);
            assertThat(log.count("a".getBytes(), SeqRange.all())).isEqualTo(32);
            assertThat(log.count("b".getBytes(), SeqRange.all())).isEqualTo(10);
            assertThat(log.count(KeyRange.all(), SeqRange.all())).isEqualTo(43);
            // Only the sealed segment: its counter alone answers.
            long end = log.segments().get(1).startSequence();
            assertThat(log.count("a".getBytes(), SeqRange.between(0, end))).isEqualTo(30);
        }
    }

    @Test
    void countsKeptInMemoryAreRecoveredAfterReopening() {
        try (Log log = Log.open(config())) {
            log.append(records("a", 3));
            log.append(records("a", 4)); // kept in memory, lost at close
            log.append(records("b", 2));
            log.append(records("b", 1)); // likewise
        }
        try (Log log = Log.open(config())) {
            log.append(records("a", 1)); // recounts segment 0 first: a=7, b=3; then a=8
            fill(log);
            log.append(records("c", 1)); // rolls
            assertThat(log.segments()).hasSize(2);
            long end = log.segments().get(1).startSequence();
            assertThat(log.count("a".getBytes(), SeqRange.between(0, end))).isEqualTo(8);
            assertThat(log.count("b".getBytes(), SeqRange.between(0, end))).isEqualTo(3);
            assertThat(log.count(KeyRange.all(), SeqRange.all())).isEqualTo(13);
        }
        // A reader in another view agrees, from the key index alone.
        try (LogReader reader = LogReader.open(config())) {
            assertThat(reader.count("a".getBytes(), SeqRange.all())).isEqualTo(8);
            assertThat(Model.drain(reader.scan("a", SeqRange.all()))).hasSize(8);
        }
    }
}
