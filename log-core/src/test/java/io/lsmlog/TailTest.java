package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailTest {
    @TempDir Path dir;

    @Test
    void waitersWakeOnAppendInTheWritersProcess() throws Exception {
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            CompletableFuture<Long> f = log.awaitSequence(2);
            log.append(List.of(Record.of("k", "0"), Record.of("k", "1")));
            assertThat(f).isNotDone(); // frontier 2 is not past 2
            log.append(List.of(Record.of("k", "2")));
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(log.awaitSequence(0)).isCompletedWithValue(3L);
            assertThat(log.awaitSequence(3, Duration.ofMillis(20))).isFalse();
        }
    }

    @Test
    void anInProcessReaderWakesOnAppendWithoutWaitingForItsRefreshInterval() throws Exception {
        LogConfig cfg = LogConfig.builder(dir).readerRefreshInterval(Duration.ofHours(1)).build();
        try (Log log = Log.open(cfg)) {
            log.append(List.of(Record.of("k", "first")));
            try (LogReader reader = LogReader.open(cfg)) {
                assertThat(reader.nextSequence()).isEqualTo(1);
                CompletableFuture<Long> f = reader.awaitSequence(1);
                long start = System.nanoTime();
                log.append(List.of(Record.of("k", "second")));
                // With an hour-long refresh interval, only the append's wake-up can do this.
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(2);
                assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
                assertThat(Model.drain(reader.scan("k", SeqRange.from(1))))
                        .extracting(LogEntry::valueString)
                        .containsExactly("second");
            }
        }
    }

    @Test
    void closingWakesWaitersWithAClosedError() {
        Log log = Log.open(LogConfig.builder(dir).build());
        CompletableFuture<Long> f = log.awaitSequence(100);
        log.close();
        assertThat(f).isCompletedExceptionally();
        assertThat(f.handle((v, e) -> e instanceof LogClosedException)).isCompletedWithValue(true);
    }
}
