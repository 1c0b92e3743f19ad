package io.lsmlog.write;

import io.lsmlog.storage.Bytes;
import io.lsmlog.storage.EntryRows;
import io.lsmlog.storage.KeyBytes;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.Store;
import java.util.HashMap;
import java.util.Map;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The key-index counters of the open segment, kept in memory between seals.
 *
 * <p>Readers need two things from the key index: which segments hold a key (for every segment), and
 * how many entries a key has in a <em>sealed</em> segment (open segments are counted by scanning).
 * So a key's counter is written when the key first appears in the open segment, and what later
 * appends add is kept here and written when the segment seals — in the same atomic batch that
 * starts the next segment, so any view that sees a segment sealed sees its counts complete.
 * Appending to a key that is already in the open segment then costs no key-index write at all (the
 * writer's largest cost per record before).
 *
 * <p>What is kept here is lost in a crash; opening the log recounts the open segment's entries and
 * writes the differences ({@link #recover}). A failed append does the same before the next one.
 */
final class OpenSegmentCounts {
    /** Beyond this many keys, a key not tracked writes its counter on every append, as before. */
    static final int MAX_TRACKED_KEYS = 1 << 20;

    private final Store store;
    private int segment = -1;
    private final Map<KeyBytes, long[]> unwritten = new HashMap<>();
    private boolean stale = true; // recount before the next append

    OpenSegmentCounts(Store store) {
        this.store = store;
    }

    /** Adds {@code count} entries of {@code key} in {@code segment} (the open one) to the batch. */
    void add(WriteBatch batch, int segment, byte[] key, long count) throws RocksDBException {
        if (segment != this.segment) {
            throw new IllegalStateException(
                    "counting segment " + segment + " while segment " + this.segment + " is open");
        }
        long[] pending = unwritten.get(new KeyBytes(key));
        if (pending != null) {
            pending[0] += count;
            return;
        }
        batch.merge(store.keyIndex, KeyCodec.keyIndexKey(key, segment), Bytes.littleEndian(count));
        if (unwritten.size() < MAX_TRACKED_KEYS) {
            unwritten.put(new KeyBytes(key), new long[] {0});
        }
    }

    /**
     * The open segment seals and {@code next} opens: the sealed segment's unwritten counts go into
     * the batch that starts the next one.
     */
    void roll(WriteBatch batch, int next) throws RocksDBException {
        if (segment >= 0) {
            writeUnwritten(batch);
        }
        unwritten.clear();
        segment = next;
    }

    private void writeUnwritten(WriteBatch batch) throws RocksDBException {
        for (Map.Entry<KeyBytes, long[]> e : unwritten.entrySet()) {
            long n = e.getValue()[0];
            if (n != 0) {
                batch.merge(
                        store.keyIndex,
                        KeyCodec.keyIndexKey(e.getKey().bytes(), segment),
                        Bytes.littleEndian(n));
            }
        }
    }

    /** An append failed: what is kept here may not match the log; recount before the next one. */
    void invalidate() {
        stale = true;
    }

    boolean stale() {
        return stale;
    }

    /**
     * Makes the key index exact for the open segment (or notes that no segment is open): counts the
     * segment's entries per key, writes the differences to the index, forgets everything kept.
     */
    void recover(int openSegment, WriteOptions writeOptions) throws RocksDBException {
        unwritten.clear();
        segment = openSegment;
        stale = false;
        if (openSegment < 0) {
            return;
        }
        Map<KeyBytes, long[]> counted = new HashMap<>();
        try (Slice upper = new Slice(KeyCodec.segmentStart(openSegment + 1));
                ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
                RocksIterator it = store.db.newIterator(store.entries, ro)) {
            for (it.seek(KeyCodec.segmentStart(openSegment)); it.isValid(); it.next()) {
                byte[] sk = it.key();
                long entries =
                        EntryRows.count(KeyCodec.entrySequence(sk), it.value(), 0, Long.MAX_VALUE);
                counted.computeIfAbsent(new KeyBytes(KeyCodec.entryUserKey(sk)), k -> new long[1])[
                                0] +=
                        entries;
            }
            it.status();
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (Map.Entry<KeyBytes, long[]> e : counted.entrySet()) {
                byte[] ik = KeyCodec.keyIndexKey(e.getKey().bytes(), openSegment);
                byte[] v = store.db.get(store.keyIndex, ik);
                long indexed = v == null ? 0 : Bytes.fromLittleEndian(v);
                if (e.getValue()[0] != indexed) {
                    batch.merge(store.keyIndex, ik, Bytes.littleEndian(e.getValue()[0] - indexed));
                }
            }
            if (batch.count() > 0) {
                store.db.write(writeOptions, batch);
            }
        }
    }
}
