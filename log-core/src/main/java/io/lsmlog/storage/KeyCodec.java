package io.lsmlog.storage;

import io.lsmlog.LogCorruptedException;
import io.lsmlog.Printable;
import java.util.Arrays;

/**
 * Keys of the {@code entries} and {@code keyidx} column families.
 *
 * <p>User keys are escaped so that a terminator can follow them without breaking byte order: {@code
 * 0x00 -> 0x01 0x01}, {@code 0x01 -> 0x01 0x02}, every other byte unchanged, then a {@code 0x00}
 * terminator. Comparing escaped-and-terminated keys bytewise gives the same order as comparing the
 * keys unsigned, and no key's encoding is a prefix of another's.
 *
 * <pre>
 * entries: segment u32 BE | escape(key) | 0x00 | sequence u64 BE
 *   e.g. segment 1, key "a\0b", sequence 258:
 *   00 00 00 01 | 61 01 01 62 | 00 | 00 00 00 00 00 00 01 02
 * keyidx:  escape(key) | 0x00 | segment u32 BE        (value: entry count, u64 little-endian)
 * </pre>
 *
 * Segment first makes a segment one contiguous key range (retention deletes a range, a split reads
 * one); key before sequence keeps each key's entries of a segment adjacent and ordered.
 */
public final class KeyCodec {
    private static final byte ESC = 0x01;
    private static final byte TERMINATOR = 0x00;

    private KeyCodec() {}

    public static int escapedLength(byte[] key) {
        int n = key.length;
        for (byte b : key) {
            if (b == 0x00 || b == 0x01) {
                n++;
            }
        }
        return n;
    }

    /** Writes escape(key) at off; returns the offset after it. */
    public static int escapeInto(byte[] key, byte[] out, int off) {
        for (byte b : key) {
            if (b == 0x00) {
                out[off++] = ESC;
                out[off++] = 0x01;
            } else if (b == 0x01) {
                out[off++] = ESC;
                out[off++] = 0x02;
            } else {
                out[off++] = b;
            }
        }
        return off;
    }

    /** escape(key) followed by the terminator. */
    public static byte[] escapeTerminated(byte[] key) {
        byte[] out = new byte[escapedLength(key) + 1];
        escapeInto(key, out, 0);
        return out;
    }

    /** Unescapes from {@code off} up to the terminator; returns the key. */
    static byte[] unescape(byte[] in, int off, int end) {
        byte[] out = new byte[end - off];
        int n = 0;
        int i = off;
        while (i < end) {
            byte b = in[i++];
            if (b == TERMINATOR) {
                return Arrays.copyOf(out, n);
            }
            if (b == ESC) {
                if (i >= end) {
                    throw corrupt(in);
                }
                byte c = in[i++];
                if (c == 0x01) {
                    out[n++] = 0x00;
                } else if (c == 0x02) {
                    out[n++] = 0x01;
                } else {
                    throw corrupt(in);
                }
            } else {
                out[n++] = b;
            }
        }
        throw corrupt(in);
    }

    /** Index of the terminator of the escaped key starting at off. */
    static int terminatorIndex(byte[] in, int off) {
        for (int i = off; i < in.length; i++) {
            if (in[i] == TERMINATOR) {
                return i;
            }
        }
        throw corrupt(in);
    }

    private static LogCorruptedException corrupt(byte[] in) {
        return new LogCorruptedException(
                "malformed storage key " + Printable.bytes(in) + ": bad key escaping");
    }

    // ---- entries ----

    public static byte[] entryKey(int segment, byte[] key, long sequence) {
        byte[] out = new byte[4 + escapedLength(key) + 1 + 8];
        Bytes.putInt(out, 0, segment);
        int off = escapeInto(key, out, 4);
        out[off++] = TERMINATOR;
        Bytes.putLong(out, off, sequence);
        return out;
    }

    /** The first storage key of a segment. */
    public static byte[] segmentStart(int segment) {
        return Bytes.ofInt(segment);
    }

    /** The first storage key of a segment at or after the user key {@code key} (null: none). */
    public static byte[] segmentKeyBound(int segment, byte[] key) {
        if (key == null) {
            return segmentStart(segment);
        }
        byte[] out = new byte[4 + escapedLength(key)];
        Bytes.putInt(out, 0, segment);
        escapeInto(key, out, 4);
        return out;
    }

    /** A storage key past every entry of {@code key} in the segment and before the next key's. */
    public static byte[] entryKeyAfter(int segment, byte[] key) {
        byte[] out = new byte[4 + escapedLength(key) + 1];
        Bytes.putInt(out, 0, segment);
        int off = escapeInto(key, out, 4);
        out[off] = 0x01;
        return out;
    }

    public static int entrySegment(byte[] storageKey) {
        return Bytes.getInt(storageKey, 0);
    }

    public static long entrySequence(byte[] storageKey) {
        return Bytes.getLong(storageKey, storageKey.length - 8);
    }

    public static byte[] entryUserKey(byte[] storageKey) {
        return unescape(storageKey, 4, storageKey.length - 8);
    }

    /**
     * True if the storage key holds an entry of exactly the user key whose escaped form is given.
     */
    public static boolean entryHasKey(byte[] storageKey, byte[] escapedTerminated) {
        int len = escapedTerminated.length;
        return storageKey.length == 4 + len + 8
                && Arrays.equals(storageKey, 4, 4 + len, escapedTerminated, 0, len);
    }

    // ---- sealed chunks: segment u32 BE | window u32 BE | escape(key) | 0x00 | sequence u64 BE
    // ----

    /** Bytes of a chunk key before the part it shares with an entry key. */
    public static final int CHUNK_PREFIX = 8;

    public static byte[] chunkKey(int segment, int window, byte[] key, long sequence) {
        byte[] out = new byte[CHUNK_PREFIX + escapedLength(key) + 1 + 8];
        Bytes.putInt(out, 0, segment);
        Bytes.putInt(out, 4, window);
        int off = escapeInto(key, out, CHUNK_PREFIX);
        out[off++] = TERMINATOR;
        Bytes.putLong(out, off, sequence);
        return out;
    }

    public static int chunkSegment(byte[] chunkKey) {
        return Bytes.getInt(chunkKey, 0);
    }

    public static int chunkWindow(byte[] chunkKey) {
        return Bytes.getInt(chunkKey, 4);
    }

    public static byte[] chunkUserKey(byte[] chunkKey) {
        return unescape(chunkKey, CHUNK_PREFIX, chunkKey.length - 8);
    }

    /** The first chunk key of a window of a segment. */
    public static byte[] windowStart(int segment, int window) {
        byte[] out = new byte[CHUNK_PREFIX];
        Bytes.putInt(out, 0, segment);
        Bytes.putInt(out, 4, window);
        return out;
    }

    /** An entry key (or a prefix of one, at least the segment) placed in a window. */
    public static byte[] chunkKeyOf(byte[] entryKey, int window) {
        byte[] out = new byte[entryKey.length + 4];
        System.arraycopy(entryKey, 0, out, 0, 4);
        Bytes.putInt(out, 4, window);
        System.arraycopy(entryKey, 4, out, CHUNK_PREFIX, entryKey.length - 4);
        return out;
    }

    /** The entry key of a chunk: its key without the window. */
    public static byte[] entryKeyOfChunk(byte[] chunkKey) {
        byte[] out = new byte[chunkKey.length - 4];
        System.arraycopy(chunkKey, 0, out, 0, 4);
        System.arraycopy(chunkKey, CHUNK_PREFIX, out, 4, chunkKey.length - CHUNK_PREFIX);
        return out;
    }

    // ---- keyidx ----

    public static byte[] keyIndexKey(byte[] key, int segment) {
        byte[] out = new byte[escapedLength(key) + 1 + 4];
        int off = escapeInto(key, out, 0);
        out[off++] = TERMINATOR;
        Bytes.putInt(out, off, segment);
        return out;
    }

    /** The lowest keyidx key of a user key bound (null: the start of the index). */
    public static byte[] keyIndexBound(byte[] key) {
        if (key == null) {
            return new byte[0];
        }
        byte[] out = new byte[escapedLength(key)];
        escapeInto(key, out, 0);
        return out;
    }

    /** A keyidx key past every segment of {@code key} and before the next key's. */
    public static byte[] keyIndexAfter(byte[] key) {
        byte[] out = new byte[escapedLength(key) + 1];
        int off = escapeInto(key, out, 0);
        out[off] = 0x01;
        return out;
    }

    public static byte[] keyIndexUserKey(byte[] indexKey) {
        return unescape(indexKey, 0, indexKey.length - 4);
    }

    public static int keyIndexSegment(byte[] indexKey) {
        return Bytes.getInt(indexKey, indexKey.length - 4);
    }
}
