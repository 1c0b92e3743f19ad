package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RocksDB's own count of the bytes it wrote, for write amplification. */
class DiskWritesTest {
    @TempDir Path dir;

    @Test
    void countsWalAndFlushBytesOfWhatWasAppended() {
        Random rnd = new Random(3);
        long userBytes = 0;
        try (Log log =
                Log.open(
                        LogConfig.builder(dir)
                                .statistics(true)
                                .writeBufferBytes(1 << 20)
                                .build())) {
            DiskWrites before = log.diskWrites(); // opening a new log writes its format record
            assertThat(before.walBytes()).isLessThan(1000);
            assertThat(before.flushBytes()).isZero();
            for (int b = 0; b < 40; b++) {
                List<Record> batch = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    byte[] v = new byte[1000];
                    rnd.nextBytes(v);
                    Record r = new Record(("k" + i).getBytes(), v);
                    userBytes += r.key().length + v.length;
                    batch.add(r);
                }
                log.append(batch);
            }
            DiskWrites w = log.diskWrites();
            // Every appended byte went through the WAL; 4 MB through 1 MB memtables were flushed.
            assertThat(w.walBytes() - before.walBytes()).isGreaterThanOrEqualTo(userBytes);
            assertThat(w.walBytes() - before.walBytes()).isLessThan(userBytes * 2);
            // Writes stall until full memtables are flushed, so flushes have finished by now.
            assertThat(w.flushBytes()).isPositive();
            assertThat(w.total())
                    .isEqualTo(w.walBytes() + w.flushBytes() + w.compactionBytes() + w.sealBytes());
            assertThat(w.amplification(userBytes)).isGreaterThanOrEqualTo(1.0);
        }
    }

    @Test
    void withoutStatisticsItSaysHowToTurnThemOn() {
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            assertThatThrownBy(log::diskWrites)
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("statistics(true)");
        }
    }
}
