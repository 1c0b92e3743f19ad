package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deletes as entries: appended, scanned, sealed, reopened and found by latest, flag intact. */
class TombstoneTest {
    @TempDir Path dir;

    private static final byte[] A = "a".getBytes(StandardCharsets.UTF_8);

    private static List<LogEntry> drain(LogIterator it) {
        List<LogEntry> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void aDeleteIsAnEntryThatEveryReadShows() {
        LogConfig config = LogConfig.builder(dir).segmentRollBytes(16 << 10).build();
        try (Log log = Log.open(config)) {
            log.append(List.of(Record.of("a", "1"), Record.of("b", "1")));
            log.append(List.of(Record.delete(A)));
            assertThat(log.latest(A)).get().extracting(LogEntry::tombstone).isEqualTo(true);
            // Enough to roll and seal the segment holding the delete; "2" lands in a later one.
            for (int i = 0; i < 200; i++) {
                log.append(List.of(Record.of("filler", "x".repeat(200))));
            }
            log.append(List.of(Record.of("a", "2")));
            log.awaitSealing(Duration.ofSeconds(30));
            assertThat(log.segments().size()).isGreaterThan(1);
        }
        try (LogReader log = LogReader.open(config)) {
            List<LogEntry> a = drain(log.scan(A, SeqRange.all()));
            assertThat(a).extracting(LogEntry::valueString).containsExactly("1", "", "2");
            assertThat(a).extracting(LogEntry::tombstone).containsExactly(false, true, false);
            assertThat(drain(log.scanBySequence(KeyRange.single(A), SeqRange.all())))
                    .extracting(LogEntry::tombstone)
                    .containsExactly(false, true, false);
            assertThat(drain(log.scan(KeyRange.prefix("a"), SeqRange.all())))
                    .extracting(LogEntry::tombstone)
                    .containsExactly(false, true, false);
            assertThat(log.count(A, SeqRange.all())).isEqualTo(3);
            assertThat(log.latest(A)).get().extracting(LogEntry::valueString).isEqualTo("2");
            // The entry each one follows, across segments: what an upsert source emits as -U/-D.
            long[] seqs = a.stream().mapToLong(LogEntry::sequence).toArray();
            assertThat(log.latestBefore(A, seqs[0])).isEmpty();
            assertThat(log.latestBefore(A, seqs[1])).contains(a.get(0));
            assertThat(log.latestBefore(A, seqs[2])).contains(a.get(1));
            assertThat(log.latestBefore(A, seqs[2] + 1)).contains(a.get(2));
            assertThat(log.latestBefore(A, Long.MAX_VALUE)).contains(a.get(2));
        }
    }

    @Test
    void aTombstoneHasNoValue() {
        assertThatThrownBy(() -> new Record(A, new byte[] {1}, Record.NO_TIMESTAMP, true))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("a tombstone has no value");
        assertThat(Record.delete(A).toString()).contains("tombstone");
    }
}
