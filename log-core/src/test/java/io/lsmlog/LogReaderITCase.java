package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A LogReader in this JVM following a writer in a child JVM. */
class LogReaderITCase {
    @TempDir Path dir;

    private LogConfig readerConfig() {
        return LogConfig.builder(dir.resolve("log"))
                .readerRefreshInterval(Duration.ofMillis(50))
                .build();
    }

    /** Follows the log from `from`, waiting for new entries with awaitSequence, until `until`. */
    private static long follow(LogReader reader, long from, long until, List<LogEntry> out)
            throws InterruptedException {
        long next = from;
        while (next < until) {
            assertThat(reader.awaitSequence(next, Duration.ofSeconds(60)))
                    .as("frontier passes %d", next)
                    .isTrue();
            try (LogIterator it = reader.scanBySequence(KeyRange.all(), SeqRange.from(next))) {
                while (it.hasNext()) {
                    LogEntry e = it.next();
                    assertThat(e.sequence()).as("no gap, no repeat").isEqualTo(next);
                    out.add(e);
                    next++;
                }
            }
        }
        return next;
    }

    @Test
    void readerFollowsAWriterInAnotherProcessAcrossARestart() throws Exception {
        Path log = dir.resolve("log");
        List<LogEntry> seen = new ArrayList<>();
        long next;
        try (ChildProcess writer = new ChildProcess(AppenderChild.class, log.toString(), "a")) {
            writer.await("READY", 60);
            try (LogReader reader = LogReader.open(readerConfig())) {
                long acked = Long.parseLong(writer.await("ACKED", 60).split(" ")[1]);
                next = follow(reader, 0, acked, seen);
                // A hard kill mid-stream, then a new writer process on the same directory.
                writer.kill();
                try (ChildProcess second =
                        new ChildProcess(AppenderChild.class, log.toString(), "b")) {
                    second.await("READY", 60);
                    second.await("ACKED", 60);
                    long acked2 = Long.parseLong(second.await("ACKED", 60).split(" ")[1]);
                    next = follow(reader, next, acked2, seen);
                    second.send("stop");
                    second.await("STOPPED", 60);
                    assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
                long finalFrontier = reader.refresh();
                next = follow(reader, next, finalFrontier, seen);
                assertThat(next).isEqualTo(finalFrontier);
                // Both writers' entries came through.
                assertThat(seen).anyMatch(e -> e.valueString().startsWith("a:"));
                assertThat(seen).anyMatch(e -> e.valueString().startsWith("b:"));
                // Per key, the reader's key scans agree with what it followed.
                for (int k = 0; k < 50; k++) {
                    String key = "k" + k;
                    assertThat(Model.drain(reader.scan(key, SeqRange.all())))
                            .containsExactlyElementsOf(
                                    seen.stream().filter(e -> e.keyString().equals(key)).toList());
                }
            }
        }
        // Exactly the writer's entries, in order: compare with the log opened as its writer.
        try (Log owner = Log.open(LogConfig.builder(log).build())) {
            assertThat(Model.drain(owner.scanBySequence(KeyRange.all(), SeqRange.all())))
                    .containsExactlyElementsOf(seen);
        }
    }

    @Test
    void readerDoesNotBlockTheWriterAndSeesItsSegments() throws Exception {
        Path log = dir.resolve("log");
        try (ChildProcess writer =
                new ChildProcess(AppenderChild.class, log.toString(), "w", "0")) {
            writer.await("READY", 60);
            // Refreshed by hand only, so the view holds still between the reads below.
            LogConfig still =
                    LogConfig.builder(log).readerRefreshInterval(Duration.ofHours(1)).build();
            try (LogReader reader = LogReader.open(still)) {
                long a = Long.parseLong(writer.await("ACKED", 60).split(" ")[1]);
                long b = Long.parseLong(writer.await("ACKED", 60).split(" ")[1]);
                assertThat(b).isGreaterThan(a); // the writer keeps going with a reader open
                reader.refresh();
                assertThat(reader.segments()).isNotEmpty();
                assertThat(reader.count(KeyRange.all(), SeqRange.all()))
                        .isEqualTo(reader.nextSequence());
                assertThatThrownBy(() -> Log.open(LogConfig.builder(log).build()))
                        .isInstanceOf(LogLockedException.class)
                        .hasMessageContaining(log.toString());
            }
            writer.send("stop");
            writer.await("STOPPED", 60);
        }
    }

    @Test
    void openingSomethingThatIsNotALogIsATypedError() throws Exception {
        assertThatThrownBy(() -> LogReader.open(LogConfig.builder(dir.resolve("missing")).build()))
                .isInstanceOf(LogNotFoundException.class)
                .hasMessageContaining("missing");
        Files.writeString(dir.resolve("file.txt"), "x");
        assertThatThrownBy(() -> LogReader.open(LogConfig.builder(dir).build()))
                .isInstanceOf(LogNotFoundException.class);
        Path log = dir.resolve("log");
        try (Log l = Log.open(LogConfig.builder(log).build())) {
            l.append(List.of(Record.of("k", "v")));
        }
        Path current = log.resolve("CURRENT");
        Files.writeString(current, "MANIFEST-424242\n");
        assertThatThrownBy(() -> LogReader.open(LogConfig.builder(log).build()))
                .isInstanceOf(LogException.class)
                .hasMessageContaining(log.toString());
    }
}
