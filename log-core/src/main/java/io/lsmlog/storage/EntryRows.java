package io.lsmlog.storage;

import io.lsmlog.LogCorruptedException;
import io.lsmlog.LogEntry;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Values of the {@code entries} column family. A row's key is {@code (segment, key, first
 * sequence)} ({@link KeyCodec#entryKey}); its value holds one or more entries of that key, in one
 * of two shapes told apart by the first byte:
 *
 * <pre>
 * format 1, one entry: 01 | timestamp u64 BE | value                    ({@link EntryValueCodec})
 * format 2, a run:     02 | count varint | entry{count}
 *   entry:             sequence delta varint | timestamp delta zigzag varint
 *                      | (value length &lt;&lt; 1 | tombstone) varint | value
 * </pre>
 *
 * In a run the first entry's sequence delta is 0 (its sequence is in the row key) and its timestamp
 * delta is taken from 0; each later delta is from the entry before it. The tombstone bit marks a
 * delete (an upsert table's DELETE, {@link io.lsmlog.Record#delete}); a tombstone has no value.
 * Builds before tombstones refuse a row that sets the bit as corrupt rather than misread it.
 *
 * <p>E.g. key "a" in segment 1, sequences 7 and 9 with values "x" and "yz" at times 1000 and 1001:
 * row key {@code 00 00 00 01 | 61 00 | 00..07}, value {@code 02 | 02 | 00 d0 0f 02 78 | 02 02 04 79
 * 7a}.
 */
public final class EntryRows {
    public static final byte RUN = 2;

    /** A run is cut when it reaches this many entries ... */
    public static final int MAX_RUN_ENTRIES = 1024;

    /** ... or this many bytes, so that one busy key makes bounded rows; chunks too. */
    public static final int MAX_RUN_BYTES = 64 << 10;

    /**
     * Sequences of a stretch: a write-index record covers at most this many, and a sealed segment's
     * chunks never cross a multiple of it (counted from the segment's start), so a key's first row
     * in a stretch always starts at the key's first sequence in it and a sequence-order read finds
     * rows by point lookups.
     */
    public static final int STRETCH = 1 << 16;

    /** The most entries a row may hold (a chunk holds at most a stretch). */
    static final int MAX_ROW_ENTRIES = STRETCH;

    private EntryRows() {}

    /** Builds one run (or chunk) of a key's entries, in sequence order. */
    public static final class RunBuilder {
        private final ByteWriter body = new ByteWriter(256);
        private final int maxEntries;
        private long firstSequence = -1;
        private long lastSequence;
        private long lastTimestamp;
        private int count;

        /** A builder of runs, cut at {@link #MAX_RUN_ENTRIES}. */
        public RunBuilder() {
            this(MAX_RUN_ENTRIES);
        }

        /** A builder of rows of at most {@code maxEntries} entries. */
        public RunBuilder(int maxEntries) {
            this.maxEntries = Math.min(maxEntries, MAX_ROW_ENTRIES);
        }

        public void add(long sequence, long timestamp, byte[] value) {
            add(sequence, timestamp, value, 0, value.length, false);
        }

        public void add(long sequence, long timestamp, byte[] value, boolean tombstone) {
            add(sequence, timestamp, value, 0, value.length, tombstone);
        }

        public void add(
                long sequence, long timestamp, byte[] src, int off, int len, boolean tombstone) {
            if (count == 0) {
                firstSequence = sequence;
                body.putVarint(0).putVarint(zigzag(timestamp));
            } else {
                body.putVarint(sequence - lastSequence)
                        .putVarint(zigzag(timestamp - lastTimestamp));
            }
            body.putVarint((long) len << 1 | (tombstone ? 1 : 0)).put(src, off, len);
            lastSequence = sequence;
            lastTimestamp = timestamp;
            count++;
        }

        public boolean isEmpty() {
            return count == 0;
        }

        /** True when the run should be written before another entry is added. */
        public boolean full() {
            return count >= maxEntries || body.size() >= MAX_RUN_BYTES;
        }

        public long firstSequence() {
            return firstSequence;
        }

        /** The row value; the builder is empty afterwards. */
        public byte[] finish() {
            ByteWriter w = new ByteWriter(body.size() + 6);
            w.put(RUN).putVarint(count);
            w.put(body);
            body.clear();
            count = 0;
            firstSequence = -1;
            return w.toArray();
        }
    }

    /**
     * Adds the row's entries with sequences in {@code [from, to)} to {@code out}; returns the
     * sequence of the row's last entry. The entries share {@code key}.
     */
    public static long decode(
            byte[] key,
            long firstSequence,
            byte[] row,
            long from,
            long to,
            Consumer<? super LogEntry> out) {
        if (row.length > 0 && row[0] == EntryValueCodec.VERSION) {
            if (firstSequence >= from && firstSequence < to) {
                out.accept(
                        new LogEntry(
                                key,
                                firstSequence,
                                EntryValueCodec.timestamp(row),
                                EntryValueCodec.value(row)));
            }
            return firstSequence;
        }
        Cursor c = new Cursor(row, firstSequence);
        while (c.next()) {
            if (c.sequence >= from && c.sequence < to) {
                out.accept(
                        new LogEntry(
                                key,
                                c.sequence,
                                c.timestamp,
                                Arrays.copyOfRange(
                                        row, c.valueOffset, c.valueOffset + c.valueLength),
                                c.tombstone));
            }
        }
        return c.lastSequence();
    }

    /** The row's newest entry below {@code to}, or null; copies only that entry's value. */
    public static LogEntry lastBelow(byte[] key, long firstSequence, byte[] row, long to) {
        if (row.length > 0 && row[0] == EntryValueCodec.VERSION) {
            return firstSequence < to
                    ? new LogEntry(
                            key,
                            firstSequence,
                            EntryValueCodec.timestamp(row),
                            EntryValueCodec.value(row))
                    : null;
        }
        Cursor c = new Cursor(row, firstSequence);
        long seq = -1;
        long ts = 0;
        int off = 0;
        int len = 0;
        boolean tombstone = false;
        while (c.next() && c.sequence < to) {
            seq = c.sequence;
            ts = c.timestamp;
            off = c.valueOffset;
            len = c.valueLength;
            tombstone = c.tombstone;
        }
        return seq < 0
                ? null
                : new LogEntry(key, seq, ts, Arrays.copyOfRange(row, off, off + len), tombstone);
    }

    /** Entries of the row with sequences in {@code [from, to)}, without copying values. */
    public static long count(long firstSequence, byte[] row, long from, long to) {
        if (row.length > 0 && row[0] == EntryValueCodec.VERSION) {
            return firstSequence >= from && firstSequence < to ? 1 : 0;
        }
        Cursor c = new Cursor(row, firstSequence);
        long n = 0;
        while (c.next()) {
            if (c.sequence >= from && c.sequence < to) {
                n++;
            }
        }
        return n;
    }

    /** Receives a row's entries in place. */
    @FunctionalInterface
    public interface EntryVisitor {
        void entry(
                long sequence,
                long timestamp,
                byte[] row,
                int valueOffset,
                int valueLength,
                boolean tombstone);
    }

    /** Visits every entry of the row in sequence order without copying values. */
    public static void forEach(long firstSequence, byte[] row, EntryVisitor visitor) {
        if (row.length > 0 && row[0] == EntryValueCodec.VERSION) {
            visitor.entry(
                    firstSequence,
                    EntryValueCodec.timestamp(row),
                    row,
                    EntryValueCodec.HEADER,
                    row.length - EntryValueCodec.HEADER,
                    false);
            return;
        }
        Cursor c = new Cursor(row, firstSequence);
        while (c.next()) {
            visitor.entry(c.sequence, c.timestamp, row, c.valueOffset, c.valueLength, c.tombstone);
        }
    }

    /** True if the row holds one entry in the first format. */
    public static boolean isSingle(byte[] row) {
        return row.length > 0 && row[0] == EntryValueCodec.VERSION;
    }

    /** Walks a run's entries in place. */
    private static final class Cursor {
        private final byte[] row;
        private final int count;
        private int pos;
        private int read;
        long sequence;
        long timestamp;
        int valueOffset;
        int valueLength;
        boolean tombstone;

        Cursor(byte[] row, long firstSequence) {
            this.row = row;
            if (row.length < 2 || row[0] != RUN) {
                throw new LogCorruptedException(
                        "entry row has "
                                + (row.length < 2
                                        ? "only " + row.length + " bytes"
                                        : "unknown format version " + row[0]));
            }
            pos = 1;
            long n = varint();
            if (n < 1 || n > MAX_ROW_ENTRIES) {
                throw corrupt("a count of " + n);
            }
            count = (int) n;
            sequence = firstSequence;
        }

        boolean next() {
            if (read == count) {
                return false;
            }
            long seqDelta = varint();
            long tsDelta = unzigzag(varint());
            long lenFlags = varint();
            if ((read == 0 ? seqDelta != 0 : seqDelta < 1) || lenFlags < 0) {
                throw corrupt("entry " + read + " with sequence delta " + seqDelta);
            }
            tombstone = (lenFlags & 1) != 0;
            long len = lenFlags >>> 1;
            if (tombstone && len != 0) {
                throw corrupt("a tombstone with a value of " + len + " bytes");
            }
            if (len > row.length - pos) {
                throw corrupt("a value of " + len + " bytes past its end");
            }
            sequence += seqDelta;
            timestamp = read == 0 ? tsDelta : timestamp + tsDelta;
            valueOffset = pos;
            valueLength = (int) len;
            pos += valueLength;
            read++;
            if (read == count && pos != row.length) {
                throw corrupt((row.length - pos) + " bytes after its last entry");
            }
            return true;
        }

        long lastSequence() {
            return sequence;
        }

        private long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= row.length) {
                    throw corrupt("a truncated varint");
                }
                byte b = row[pos++];
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw corrupt("a malformed varint");
        }

        private LogCorruptedException corrupt(String what) {
            return new LogCorruptedException("entry run of " + row.length + " bytes holds " + what);
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
