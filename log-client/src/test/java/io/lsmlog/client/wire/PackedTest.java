package io.lsmlog.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.lsmlog.LogCorruptedException;
import io.lsmlog.LogEntry;
import io.lsmlog.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedTest {
    @Test
    void entriesRoundTripWithRepeatedKeysAndTimestampsThatGoBack() {
        Random rnd = new Random(3);
        List<LogEntry> entries = new ArrayList<>();
        long seq = rnd.nextInt(1000);
        byte[] key = {1};
        for (int i = 0; i < 5_000; i++) {
            if (rnd.nextInt(4) == 0) {
                key = new byte[1 + rnd.nextInt(40)];
                rnd.nextBytes(key);
            }
            byte[] value = new byte[rnd.nextInt(300)];
            rnd.nextBytes(value);
            seq += 1 + rnd.nextInt(100);
            long ts = rnd.nextBoolean() ? rnd.nextLong() : 1_700_000_000_000L - rnd.nextInt(5000);
            boolean deleted = rnd.nextInt(10) == 0;
            entries.add(new LogEntry(key, seq, ts, deleted ? new byte[0] : value, deleted));
        }
        Packed.EntryWriter w = new Packed.EntryWriter();
        entries.forEach(w::add);
        assertThat(w.count()).isEqualTo(5_000);
        assertThat(w.lastSequence()).isEqualTo(seq);
        List<LogEntry> read = new ArrayList<>();
        Packed.readEntries(w.finish(), read);
        assertThat(read).containsExactlyElementsOf(entries);
    }

    @Test
    void recordsRoundTripWithAndWithoutTimestamps() {
        List<Record> records =
                List.of(
                        Record.of("a", "x"),
                        Record.of("b", "", -5),
                        new Record(new byte[] {0, (byte) 0xFF}, new byte[0], Long.MAX_VALUE),
                        new Record(new byte[] {7}, new byte[] {1, 2, 3}, Long.MIN_VALUE + 1),
                        Record.delete(new byte[] {9}),
                        Record.delete(new byte[] {9}, 42));
        assertThat(Packed.readRecords(Packed.records(records))).containsExactlyElementsOf(records);
        assertThat(Packed.readRecords(Packed.records(List.of()))).isEmpty();
    }

    @Test
    void aCutMessageIsRefusedNotMisread() {
        ByteString packed = Packed.records(List.of(Record.of("key", "value")));
        ByteString cut = packed.substring(0, packed.size() - 3);
        assertThatThrownBy(() -> Packed.readRecords(cut))
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("past its end");
        assertThatThrownBy(
                        () ->
                                Packed.readEntries(
                                        ByteString.copyFrom(new byte[] {0, 1, 0, 0}),
                                        new ArrayList<>()))
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("without a key");
    }
}
