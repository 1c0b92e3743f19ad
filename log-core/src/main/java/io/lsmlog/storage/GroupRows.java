package io.lsmlog.storage;

import io.lsmlog.GroupRange;
import io.lsmlog.KeyRange;
import io.lsmlog.LogCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader group's durable state, one row of the metadata family per group:
 *
 * <pre>
 * "R" | group name UTF-8 -> version u8 (1) | range count varint |
 *                           per range: start, end (each: 0 = open, or 1 | length varint | bytes) |
 *                                      position varint
 * </pre>
 *
 * Ranges are stored in key order and cover the whole key space; a range's id is its index.
 */
public final class GroupRows {
    public static final byte TAG = 'R';
    private static final byte VERSION = 1;

    private GroupRows() {}

    public static byte[] key(String group) {
        byte[] name = group.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[1 + name.length];
        k[0] = TAG;
        System.arraycopy(name, 0, k, 1, name.length);
        return k;
    }

    public static boolean isGroupKey(byte[] k) {
        return k.length > 1 && k[0] == TAG;
    }

    public static String name(byte[] key) {
        return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
    }

    public static byte[] encode(List<GroupRange> ranges) {
        ByteWriter w = new ByteWriter(16 + 24 * ranges.size());
        w.put(VERSION).putVarint(ranges.size());
        for (GroupRange r : ranges) {
            bound(w, r.keys().start());
            bound(w, r.keys().end());
            w.putVarint(r.position());
        }
        return w.toArray();
    }

    public static List<GroupRange> decode(String group, byte[] value) {
        ByteReader r = new ByteReader(value, "reader group " + group);
        byte version = r.get();
        if (version != VERSION) {
            throw new LogCorruptedException(
                    "reader group "
                            + group
                            + " has row version "
                            + version
                            + ", this build reads 1");
        }
        int n = r.getVarintInt(io.lsmlog.GroupOptions.MAX_RANGES);
        List<GroupRange> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] start = bound(r);
            byte[] end = bound(r);
            out.add(new GroupRange(i, KeyRange.between(start, end), r.getVarint()));
        }
        if (!r.atEnd()) {
            throw new LogCorruptedException("reader group " + group + " has trailing bytes");
        }
        return out;
    }

    private static void bound(ByteWriter w, byte[] b) {
        if (b == null) {
            w.put((byte) 0);
        } else {
            w.put((byte) 1).putVarint(b.length).put(b);
        }
    }

    private static byte[] bound(ByteReader r) {
        byte present = r.get();
        return present == 0 ? null : r.getBytes(r.getVarintInt(Integer.MAX_VALUE));
    }
}
