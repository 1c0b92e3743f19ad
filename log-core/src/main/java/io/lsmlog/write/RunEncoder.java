package io.lsmlog.write;

import io.lsmlog.Record;
import io.lsmlog.storage.Bytes;
import io.lsmlog.storage.EntryRows;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.Store;
import io.lsmlog.storage.WriteIndexRecord;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Encodes what one group commit appends to one segment: all entries of a key become one run row
 * (cut at {@link EntryRows#MAX_RUN_ENTRIES} entries or {@link EntryRows#MAX_RUN_BYTES}), and the
 * group gets one write-index record and one key-index update per distinct key for each stretch of
 * up to {@link EntryRows#STRETCH} sequences — so the RocksDB rows written per entry fall as groups
 * grow.
 */
final class RunEncoder {
    private final int segment;
    private final long firstSequence;
    private final long appendTime;
    private final List<Record> records = new ArrayList<>();

    RunEncoder(int segment, long firstSequence, long appendTime) {
        this.segment = segment;
        this.firstSequence = firstSequence;
        this.appendTime = appendTime;
    }

    /** Adds an append's records; they get the next sequences. */
    void add(List<Record> append) {
        records.addAll(append);
    }

    long nextSequence() {
        return firstSequence + records.size();
    }

    /**
     * Puts the runs, the key-index counts and the write-index records into the batch: one record
     * per stretch of at most {@link EntryRows#STRETCH} sequences, and no run crosses a record, so a
     * key's first row in a record starts at its first sequence there.
     */
    void writeTo(WriteBatch batch, Store store, OpenSegmentCounts counts) throws RocksDBException {
        for (int from = 0; from < records.size(); from += EntryRows.STRETCH) {
            writeStretch(
                    batch, store, counts, from, Math.min(records.size(), from + EntryRows.STRETCH));
        }
    }

    private void writeStretch(
            WriteBatch batch, Store store, OpenSegmentCounts counts, int from, int to)
            throws RocksDBException {
        List<byte[]> keys = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            keys.add(records.get(i).key());
        }
        WriteIndexRecord.Keys distinct = WriteIndexRecord.Keys.of(keys);
        EntryRows.RunBuilder[] runs = new EntryRows.RunBuilder[distinct.distinct().size()];
        int[] keyOf = distinct.keyOf();
        for (int i = 0; i < keyOf.length; i++) {
            Record r = records.get(from + i);
            EntryRows.RunBuilder run = runs[keyOf[i]];
            if (run == null) {
                run = runs[keyOf[i]] = new EntryRows.RunBuilder();
            }
            run.add(
                    firstSequence + from + i,
                    r.hasTimestamp() ? r.timestamp() : appendTime,
                    r.value(),
                    r.tombstone());
            if (run.full()) {
                put(batch, store, r.key(), run);
            }
        }
        for (int k = 0; k < runs.length; k++) {
            if (!runs[k].isEmpty()) {
                put(batch, store, distinct.distinct().get(k), runs[k]);
            }
            counts.add(batch, segment, distinct.distinct().get(k), distinct.counts()[k]);
        }
        batch.put(
                store.writeIndex,
                Bytes.ofLong(firstSequence + from),
                WriteIndexRecord.encode(segment, appendTime, distinct));
    }

    private void put(WriteBatch batch, Store store, byte[] key, EntryRows.RunBuilder run)
            throws RocksDBException {
        long first = run.firstSequence();
        batch.put(store.entries, KeyCodec.entryKey(segment, key, first), run.finish());
    }
}
