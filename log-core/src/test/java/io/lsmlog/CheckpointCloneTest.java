package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCloneTest {
    @TempDir Path dir;

    private static List<String> values(LogRead log, String key) {
        return Model.drain(log.scan(key, SeqRange.all())).stream()
                .map(LogEntry::valueString)
                .toList();
    }

    @Test
    void aCheckpointShowsExactlyWhatWasAppendedBeforeIt() {
        Path cp = dir.resolve("cp");
        try (Log log = Log.open(LogConfig.builder(dir.resolve("log")).build())) {
            log.append(List.of(Record.of("a", "1"), Record.of("b", "2")));
            log.checkpoint(cp);
            log.append(List.of(Record.of("a", "after")));
            assertThatThrownBy(() -> log.checkpoint(cp))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("already exists");
        }
        try (LogReader r = LogReader.open(LogConfig.builder(cp).build())) {
            assertThat(r.nextSequence()).isEqualTo(2);
            assertThat(values(r, "a")).containsExactly("1");
            assertThat(values(r, "b")).containsExactly("2");
        }
    }

    @Test
    void aCheckpointTakenWhileAppendsRunHoldsOnlyWholeAppends() throws Exception {
        Path logDir = dir.resolve("log");
        AtomicBoolean stop = new AtomicBoolean();
        List<Path> checkpoints = new ArrayList<>();
        try (Log log = Log.open(LogConfig.builder(logDir).segmentRollBytes(4096).build())) {
            CompletableFuture<Void> appender =
                    CompletableFuture.runAsync(
                            () -> {
                                for (int b = 0; !stop.get(); b++) {
                                    List<Record> batch = new ArrayList<>();
                                    for (int i = 0; i < 10; i++) {
                                        batch.add(Record.of("k" + (i % 3), b + ":" + i));
                                    }
                                    log.append(batch);
                                }
                            });
            for (int i = 0; i < 5; i++) {
                Thread.sleep(30);
                Path cp = dir.resolve("cp" + i);
                log.checkpoint(cp);
                checkpoints.add(cp);
            }
            stop.set(true);
            appender.get();
        }
        for (Path cp : checkpoints) {
            try (LogReader r = LogReader.open(LogConfig.builder(cp).build())) {
                List<LogEntry> all = Model.drain(r.scanBySequence(KeyRange.all(), SeqRange.all()));
                assertThat(all.size()).isEqualTo(r.nextSequence()).isPositive();
                assertThat(all.size() % 10).as("whole appends of 10 in %s", cp).isZero();
                for (int i = 0; i < all.size(); i++) {
                    assertThat(all.get(i).sequence()).isEqualTo(i);
                    assertThat(all.get(i).valueString()).isEqualTo((i / 10) + ":" + (i % 10));
                }
            }
        }
    }

    @Test
    void aCloneIsIndependentOfTheOriginalAndContinuesItsSequences() throws Exception {
        Path cp = dir.resolve("cp");
        Path original = dir.resolve("log");
        try (Log log = Log.open(LogConfig.builder(original).build())) {
            for (int i = 0; i < 1000; i++) {
                log.append(List.of(Record.of("k", "v" + i)));
            }
            log.checkpoint(cp);
            try (Log clone = Log.cloneFrom(cp, LogConfig.builder(dir.resolve("clone")).build())) {
                assertThat(clone.nextSequence()).isEqualTo(1000);
                assertThat(clone.append(List.of(Record.of("k", "clone"))).firstSequence())
                        .isEqualTo(1000);
                log.append(List.of(Record.of("k", "original")));
                assertThat(values(clone, "k")).hasSize(1001).last().isEqualTo("clone");
                assertThat(values(log, "k")).hasSize(1001).last().isEqualTo("original");
            }
        }
        // The checkpoint itself is untouched by both.
        try (LogReader r = LogReader.open(LogConfig.builder(cp).build())) {
            assertThat(values(r, "k")).hasSize(1000).last().isEqualTo("v999");
        }
        assertThatThrownBy(
                        () ->
                                Log.cloneFrom(
                                        dir.resolve("nope"),
                                        LogConfig.builder(dir.resolve("c2")).build()))
                .isInstanceOf(LogNotFoundException.class);
        Files.createDirectories(dir.resolve("busy"));
        Files.writeString(dir.resolve("busy/x"), "x");
        assertThatThrownBy(() -> Log.cloneFrom(cp, LogConfig.builder(dir.resolve("busy")).build()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("not empty");
    }
}
