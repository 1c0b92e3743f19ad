package io.lsmlog.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.LogCorruptedException;
import io.lsmlog.LogEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryRowsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = {'a'};

    private static byte[] run(long[] seqs, long[] times, byte[][] values) {
        EntryRows.RunBuilder b = new EntryRows.RunBuilder();
        for (int i = 0; i < seqs.length; i++) {
            b.add(seqs[i], times[i], values[i]);
        }
        return b.finish();
    }

    @Test
    void workedExampleOfARun() {
        byte[] row =
                run(new long[] {7, 9}, new long[] {1000, 1001}, new byte[][] {{'x'}, {'y', 'z'}});
        assertThat(HEX.formatHex(row)).isEqualTo("02" + "02" + "00d00f0278" + "020204797a");
        List<LogEntry> out = new ArrayList<>();
        assertThat(EntryRows.decode(KEY, 7, row, 0, Long.MAX_VALUE, out::add)).isEqualTo(9);
        assertThat(out)
                .containsExactly(
                        new LogEntry(KEY, 7, 1000, new byte[] {'x'}),
                        new LogEntry(KEY, 9, 1001, new byte[] {'y', 'z'}));
    }

    @Test
    void randomRunsRoundTripAndFilterBySequence() {
        Random rnd = new Random(42);
        for (int round = 0; round < 300; round++) {
            int n = 1 + rnd.nextInt(50);
            long[] seqs = new long[n];
            long[] times = new long[n];
            byte[][] values = new byte[n][];
            long seq = rnd.nextInt(1 << 20);
            for (int i = 0; i < n; i++) {
                seq += i == 0 ? 0 : 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 100_000);
                seqs[i] = seq;
                // Record timestamps need not grow: some go back in time.
                times[i] = rnd.nextBoolean() ? rnd.nextLong() & Long.MAX_VALUE : rnd.nextInt(10);
                values[i] = new byte[rnd.nextInt(rnd.nextBoolean() ? 3 : 300)];
                rnd.nextBytes(values[i]);
            }
            byte[] row = run(seqs, times, values);
            long from = seqs[0] + rnd.nextInt((int) (seqs[n - 1] - seqs[0] + 2));
            long to = from + rnd.nextInt(200_000);
            List<LogEntry> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (seqs[i] >= from && seqs[i] < to) {
                    expected.add(new LogEntry(KEY, seqs[i], times[i], values[i]));
                }
            }
            List<LogEntry> out = new ArrayList<>();
            assertThat(EntryRows.decode(KEY, seqs[0], row, from, to, out::add))
                    .isEqualTo(seqs[n - 1]);
            assertThat(out).containsExactlyElementsOf(expected);
            assertThat(EntryRows.count(seqs[0], row, from, to)).isEqualTo(expected.size());
            LogEntry last = EntryRows.lastBelow(KEY, seqs[0], row, to);
            LogEntry expectedLast = null;
            for (int i = 0; i < n; i++) {
                if (seqs[i] < to) {
                    expectedLast = new LogEntry(KEY, seqs[i], times[i], values[i]);
                }
            }
            assertThat(last).isEqualTo(expectedLast);
        }
    }

    @Test
    void aRunIsFullAtItsEntryOrByteBound() {
        EntryRows.RunBuilder b = new EntryRows.RunBuilder();
        for (int i = 0; i < EntryRows.MAX_RUN_ENTRIES - 1; i++) {
            b.add(i, 0, new byte[1]);
        }
        assertThat(b.full()).isFalse();
        b.add(EntryRows.MAX_RUN_ENTRIES, 0, new byte[1]);
        assertThat(b.full()).isTrue();
        b.finish();
        assertThat(b.isEmpty()).isTrue();
        b.add(5, 0, new byte[EntryRows.MAX_RUN_BYTES]);
        assertThat(b.full()).isTrue();
    }

    @Test
    void aFirstFormatRowReadsAsOneEntry() {
        byte[] row = EntryValueCodec.encode(1000, "hi".getBytes());
        List<LogEntry> out = new ArrayList<>();
        assertThat(EntryRows.decode(KEY, 258, row, 0, 300, out::add)).isEqualTo(258);
        assertThat(out).containsExactly(new LogEntry(KEY, 258, 1000, "hi".getBytes()));
        assertThat(EntryRows.isSingle(row)).isTrue();
        assertThat(EntryRows.count(258, row, 259, 300)).isZero();
        assertThat(EntryRows.lastBelow(KEY, 258, row, 258)).isNull();
    }

    @Test
    void damagedRunsAreRefused() {
        byte[] row = run(new long[] {1, 2}, new long[] {5, 6}, new byte[][] {{1, 2, 3}, {4}});
        List<LogEntry> out = new ArrayList<>();
        byte[] truncated = Arrays.copyOf(row, row.length - 1);
        assertThatThrownBy(() -> EntryRows.decode(KEY, 1, truncated, 0, 10, out::add))
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("past its end");
        byte[] longer = Arrays.copyOf(row, row.length + 1);
        assertThatThrownBy(() -> EntryRows.decode(KEY, 1, longer, 0, 10, out::add))
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("after its last entry");
        byte[] unknown = row.clone();
        unknown[0] = 9;
        assertThatThrownBy(() -> EntryRows.count(1, unknown, 0, 10))
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("unknown format version 9");
        byte[] tombstoneWithValue = run(new long[] {1}, new long[] {5}, new byte[][] {{7}});
        tombstoneWithValue[tombstoneWithValue.length - 2] = 3; // lenFlags 2 -> 3: length 1, deleted
        assertThatThrownBy(() -> EntryRows.decode(KEY, 1, tombstoneWithValue, 0, 10, out::add))
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("a tombstone with a value of 1 bytes");
    }

    @Test
    void tombstonesRoundTripAmongValues() {
        EntryRows.RunBuilder b = new EntryRows.RunBuilder();
        b.add(3, 100, "v".getBytes(), false);
        b.add(4, 101, new byte[0], true);
        b.add(9, 99, "w".getBytes(), false);
        byte[] row = b.finish();
        List<LogEntry> out = new ArrayList<>();
        EntryRows.decode(KEY, 3, row, 0, 100, out::add);
        assertThat(out)
                .containsExactly(
                        new LogEntry(KEY, 3, 100, "v".getBytes(), false),
                        new LogEntry(KEY, 4, 101, new byte[0], true),
                        new LogEntry(KEY, 9, 99, "w".getBytes(), false));
        assertThat(EntryRows.lastBelow(KEY, 3, row, 9))
                .isEqualTo(new LogEntry(KEY, 4, 101, new byte[0], true));
        List<Boolean> visited = new ArrayList<>();
        EntryRows.forEach(3, row, (seq, ts, buf, off, len, tombstone) -> visited.add(tombstone));
        assertThat(visited).containsExactly(false, true, false);
    }
}
