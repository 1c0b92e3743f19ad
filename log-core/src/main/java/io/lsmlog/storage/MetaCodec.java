package io.lsmlog.storage;

import io.lsmlog.LogCorruptedException;
import io.lsmlog.Segment;

/**
 * Records of the {@code default} (metadata) column family:
 *
 * <pre>
 * "F"                  -> format version u32 BE (2; logs of version 1 are upgraded on open)
 * "N"                  -> next sequence u64 BE (the frontier; written by every append)
 * "G"                  -> segment id u32 BE: segments from this one on are sealed into chunks
 *                         (older ones, written by format 1, keep their rows)
 * "S" | id u32 BE      -> start sequence u64 BE | start time u64 BE | bytes appended u64 BE
 * "M" | marker id UTF-8 -> epoch u64 BE | position u64 BE (see io.lsmlog.Marker)
 * "R" | group name UTF-8 -> a reader group's ranges and positions (see GroupRows)
 * </pre>
 */
public final class MetaCodec {
    /** Written by this build: entries in runs ({@link EntryRows}). */
    public static final int FORMAT_VERSION = 2;

    /** The oldest format this build reads: one entry per row. */
    public static final int OLDEST_READABLE_FORMAT = 1;

    public static final byte[] FORMAT_KEY = {'F'};
    public static final byte[] NEXT_SEQUENCE_KEY = {'N'};
    public static final byte[] FIRST_SEALABLE_KEY = {'G'};
    public static final byte SEGMENT_TAG = 'S';

    private MetaCodec() {}

    public static byte[] markerKey(String id) {
        byte[] name = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] k = new byte[1 + name.length];
        k[0] = 'M';
        System.arraycopy(name, 0, k, 1, name.length);
        return k;
    }

    public static byte[] markerValue(io.lsmlog.Marker marker) {
        byte[] v = new byte[16];
        Bytes.putLong(v, 0, marker.epoch());
        Bytes.putLong(v, 8, marker.position());
        return v;
    }

    public static io.lsmlog.Marker marker(String id, byte[] value) {
        if (value.length != 16) {
            throw new LogCorruptedException(
                    "marker " + id + " has " + value.length + " bytes, expected 16");
        }
        return new io.lsmlog.Marker(Bytes.getLong(value, 0), Bytes.getLong(value, 8));
    }

    public static byte[] segmentKey(int id) {
        byte[] k = new byte[5];
        k[0] = SEGMENT_TAG;
        Bytes.putInt(k, 1, id);
        return k;
    }

    public static boolean isSegmentKey(byte[] k) {
        return k.length == 5 && k[0] == SEGMENT_TAG;
    }

    public static byte[] segmentValue(Segment s, long bytes) {
        byte[] v = new byte[24];
        Bytes.putLong(v, 0, s.startSequence());
        Bytes.putLong(v, 8, s.startTime());
        Bytes.putLong(v, 16, bytes);
        return v;
    }

    public static Segment segment(byte[] key, byte[] value) {
        if (value.length != 24) {
            throw new LogCorruptedException(
                    "segment record has " + value.length + " bytes, expected 24");
        }
        return new Segment(Bytes.getInt(key, 1), Bytes.getLong(value, 0), Bytes.getLong(value, 8));
    }

    public static long segmentBytes(byte[] value) {
        return Bytes.getLong(value, 16);
    }

    public static long decodeLong(byte[] value, String what) {
        if (value == null || value.length != 8) {
            throw new LogCorruptedException(
                    what + " record is " + (value == null ? "missing" : value.length + " bytes"));
        }
        return Bytes.getLong(value, 0);
    }
}
