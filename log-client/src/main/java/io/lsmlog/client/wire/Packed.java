package io.lsmlog.client.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.lsmlog.LogCorruptedException;
import io.lsmlog.LogEntry;
import io.lsmlog.Record;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The hot data of the protocol — a batch's entries, an append's records — packed into one bytes
 * field instead of one protobuf message each: a message per entry cost more than the entry (an
 * object, a builder, a copy each way). Varints throughout; sequences and timestamps as deltas.
 *
 * <pre>
 * entries: entry*   entry:  keyTag varint (0: the previous entry's key, else length + 1) | key
 *                           | sequence delta varint | timestamp delta zigzag varint
 *                           | (value length &lt;&lt; 1 | tombstone) varint | value
 * records: record*  record: key length varint | key | (value length &lt;&lt; 1 | tombstone) varint
 *                           | value
 *                           | timestamp varint (0: none, else zigzag(timestamp) + 1)
 * </pre>
 *
 * The first entry's deltas are from 0. A batch never refers to another batch.
 */
public final class Packed {
    private Packed() {}

    /** Packs entries one by one; the size bounds a batch. */
    public static final class EntryWriter {
        private byte[] buf = new byte[8 << 10];
        private int pos;
        private int count;
        private byte[] previousKey;
        private long previousSequence;
        private long previousTimestamp;
        private long lastSequence = -1;

        public void add(LogEntry e) {
            byte[] key = e.key();
            byte[] value = e.value();
            ensure(key.length + value.length + 40);
            if (previousKey != null && Arrays.equals(previousKey, key)) {
                varint(0);
            } else {
                varint(key.length + 1L);
                put(key);
                previousKey = key;
            }
            varint(e.sequence() - previousSequence);
            varint(zigzag(e.timestamp() - previousTimestamp));
            varint((long) value.length << 1 | (e.tombstone() ? 1 : 0));
            put(value);
            previousSequence = e.sequence();
            lastSequence = e.sequence();
            previousTimestamp = e.timestamp();
            count++;
        }

        public int count() {
            return count;
        }

        /** The sequence of the last entry added (-1 before the first). */
        public long lastSequence() {
            return lastSequence;
        }

        public int bytes() {
            return pos;
        }

        /** The packed entries, wrapped (not copied): the writer must not be used again. */
        public ByteString finish() {
            return UnsafeByteOperations.unsafeWrap(buf, 0, pos);
        }

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        private void put(byte[] b) {
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        private void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }
    }

    /** Adds the packed entries to {@code out}; entries of one key share its array. */
    public static void readEntries(ByteString packed, Collection<? super LogEntry> out) {
        Reader r = new Reader(packed.toByteArray());
        byte[] key = null;
        long sequence = 0;
        long timestamp = 0;
        while (r.more()) {
            long tag = r.varint();
            if (tag != 0) {
                key = r.bytes(tag - 1);
            } else if (key == null) {
                throw r.corrupt("an entry without a key");
            }
            sequence += r.varint();
            timestamp += unzigzag(r.varint());
            long lengthAndFlag = r.varint();
            out.add(
                    new LogEntry(
                            key,
                            sequence,
                            timestamp,
                            r.bytes(lengthAndFlag >>> 1),
                            (lengthAndFlag & 1) != 0));
        }
    }

    public static ByteString records(List<Record> records) {
        int size = 0;
        for (Record rec : records) {
            size += rec.key().length + rec.value().length + 25;
        }
        byte[] buf = new byte[size];
        int pos = 0;
        for (Record rec : records) {
            pos = varint(buf, pos, rec.key().length);
            System.arraycopy(rec.key(), 0, buf, pos, rec.key().length);
            pos += rec.key().length;
            pos = varint(buf, pos, (long) rec.value().length << 1 | (rec.tombstone() ? 1 : 0));
            System.arraycopy(rec.value(), 0, buf, pos, rec.value().length);
            pos += rec.value().length;
            pos = varint(buf, pos, rec.hasTimestamp() ? zigzag(rec.timestamp()) + 1 : 0);
        }
        return UnsafeByteOperations.unsafeWrap(buf, 0, pos);
    }

    public static List<Record> readRecords(ByteString packed) {
        Reader r = new Reader(packed.toByteArray());
        List<Record> out = new ArrayList<>();
        while (r.more()) {
            byte[] key = r.bytes(r.varint());
            long lengthAndFlag = r.varint();
            byte[] value = r.bytes(lengthAndFlag >>> 1);
            long ts = r.varint();
            out.add(
                    new Record(
                            key,
                            value,
                            ts == 0 ? Record.NO_TIMESTAMP : unzigzag(ts - 1),
                            (lengthAndFlag & 1) != 0));
        }
        return out;
    }

    private static int varint(byte[] buf, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return pos;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** Reads a packed field, refusing anything that runs past its end. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        boolean more() {
            return pos < buf.length;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= buf.length) {
                    throw corrupt("a truncated varint");
                }
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw corrupt("a malformed varint");
        }

        byte[] bytes(long n) {
            if (n < 0 || n > buf.length - pos) {
                throw corrupt("a field of " + n + " bytes past its end");
            }
            byte[] b = Arrays.copyOfRange(buf, pos, pos + (int) n);
            pos += (int) n;
            return b;
        }

        LogCorruptedException corrupt(String what) {
            return new LogCorruptedException(
                    "a packed message of " + buf.length + " bytes holds " + what);
        }
    }
}
