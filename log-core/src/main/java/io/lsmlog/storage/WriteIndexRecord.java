package io.lsmlog.storage;

import io.lsmlog.Limits;
import io.lsmlog.LogCorruptedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One record of the {@code writeidx} column family per append, keyed by its first sequence (u64
 * BE). It says which key each sequence of the append went to, so new entries can be read in
 * sequence order with point lookups: O(entries), whatever the number of keys. Value:
 *
 * <pre>
 * version u8 (=1) | segment u32 BE | append time u64 BE | count varint
 *   | distinct keys varint | (key length varint | key bytes)* | (key index varint)* if distinct > 1
 * </pre>
 *
 * E.g. sequences 7..9 to keys a, b, a in segment 2 at time 1000: {@code 01 | 00 00 00 02 | 00..03
 * e8 | 03 | 02 | 01 61 | 01 62 | 00 01 00}.
 */
public record WriteIndexRecord(
        long firstSequence, int segment, long appendTime, List<byte[]> keys, int[] keyOfRecord) {

    public int count() {
        return keyOfRecord.length;
    }

    public long nextSequence() {
        return firstSequence + keyOfRecord.length;
    }

    public byte[] keyAt(long sequence) {
        return keys.get(keyOfRecord[(int) (sequence - firstSequence)]);
    }

    /**
     * An append's keys, deduplicated once: the distinct keys in first-seen order, which of them
     * each record has, and how many records each has. The writer uses it for both the key-index
     * counters and the write-index record.
     */
    public record Keys(List<byte[]> distinct, int[] keyOf, long[] counts) {
        public static Keys of(List<byte[]> recordKeys) {
            Map<KeyBytes, Integer> ids = new HashMap<>();
            List<byte[]> distinct = new ArrayList<>();
            int[] keyOf = new int[recordKeys.size()];
            for (int i = 0; i < keyOf.length; i++) {
                byte[] k = recordKeys.get(i);
                Integer id = ids.putIfAbsent(new KeyBytes(k), distinct.size());
                if (id == null) {
                    id = distinct.size();
                    distinct.add(k);
                }
                keyOf[i] = id;
            }
            long[] counts = new long[distinct.size()];
            for (int id : keyOf) {
                counts[id]++;
            }
            return new Keys(distinct, keyOf, counts);
        }
    }

    /** Builds the index value for an append's keys. */
    public static byte[] encode(int segment, long appendTime, List<byte[]> recordKeys) {
        return encode(segment, appendTime, Keys.of(recordKeys));
    }

    public static byte[] encode(int segment, long appendTime, Keys keys) {
        List<byte[]> distinct = keys.distinct();
        int[] keyOf = keys.keyOf();
        ByteWriter w = new ByteWriter(32 + keyOf.length * 2);
        w.put((byte) 1).putInt(segment).putLong(appendTime).putVarint(keyOf.length);
        w.putVarint(distinct.size());
        for (byte[] k : distinct) {
            w.putVarint(k.length).put(k);
        }
        if (distinct.size() > 1) {
            for (int id : keyOf) {
                w.putVarint(id);
            }
        }
        return w.toArray();
    }

    public static WriteIndexRecord decode(byte[] key, byte[] value) {
        String what = "write-index record " + (key.length == 8 ? Bytes.getLong(key, 0) : "?");
        if (key.length != 8) {
            throw new LogCorruptedException(what + " has a " + key.length + "-byte key");
        }
        ByteReader r = new ByteReader(value, what);
        byte version = r.get();
        if (version != 1) {
            throw new LogCorruptedException(what + " has unknown format version " + version);
        }
        int segment = r.getInt();
        long time = r.getLong();
        int count = r.getVarintInt(Limits.MAX_BATCH_RECORDS);
        int nKeys = r.getVarintInt(count);
        List<byte[]> keys = new ArrayList<>(nKeys);
        for (int i = 0; i < nKeys; i++) {
            keys.add(r.getBytes(r.getVarintInt(Limits.MAX_KEY_BYTES)));
        }
        int[] keyOf = new int[count];
        if (nKeys > 1) {
            for (int i = 0; i < count; i++) {
                keyOf[i] = r.getVarintInt(nKeys - 1);
            }
        }
        return new WriteIndexRecord(Bytes.getLong(key, 0), segment, time, keys, keyOf);
    }
}
