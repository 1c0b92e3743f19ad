package io.lsmlog.read;

import io.lsmlog.KeyRange;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.SeqRange;
import io.lsmlog.storage.Bytes;
import io.lsmlog.storage.EntryValueCodec;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.Store;
import io.lsmlog.storage.WriteIndexRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Entries of a key range in global sequence order, driven by the write index: each index record
 * names the key of every sequence of its append, and the entries are fetched by point lookups
 * (multiGet). Cost is O(entries in the sequence range), independent of how many keys the log has.
 * Entries missing because retention dropped them are skipped.
 */
final class SequenceScan extends BufferedIterator<LogEntry> implements LogIterator {
    /**
     * Point lookups per multiGet: RocksDB sorts a batch and probes each file once for all the
     * batch's keys in it, so bigger batches keep random lookups cheap when keys are many.
     */
    static final int LOOKUP_BATCH = 2048;

    private final KeyRange keys;
    private final SeqRange range;
    private final RocksIterator index;
    private final ReadOptions readOptions;
    private WriteIndexRecord record;
    private long nextSeq;

    SequenceScan(Store store, Guard guard, KeyRange keys, SeqRange range) {
        super(store, guard);
        this.keys = keys;
        this.range = range;
        this.readOptions = own(new ReadOptions());
        this.index = own(store.db.newIterator(store.writeIndex));
        this.nextSeq = range.from();
    }

    @Override
    protected boolean fill(ArrayDeque<LogEntry> out) throws RocksDBException {
        if (record == null) {
            index.seekForPrev(Bytes.ofLong(range.from()));
            if (!index.isValid()) {
                index.seek(Bytes.ofLong(range.from()));
            }
            if (!advanceRecord()) {
                return false;
            }
        }
        List<byte[]> storageKeys = new ArrayList<>(LOOKUP_BATCH);
        List<byte[]> userKeys = new ArrayList<>(LOOKUP_BATCH);
        List<Long> seqs = new ArrayList<>(LOOKUP_BATCH);
        boolean more = true;
        while (storageKeys.size() < LOOKUP_BATCH) {
            if (nextSeq >= record.nextSequence()) {
                index.next();
                if (!advanceRecord()) {
                    more = false;
                    break;
                }
                continue;
            }
            if (nextSeq >= range.to()) {
                more = false;
                break;
            }
            byte[] key = record.keyAt(nextSeq);
            if (keys.contains(key)) {
                storageKeys.add(KeyCodec.entryKey(record.segment(), key, nextSeq));
                userKeys.add(key);
                seqs.add(nextSeq);
            }
            nextSeq++;
        }
        if (!storageKeys.isEmpty()) {
            List<byte[]> values =
                    store.db.multiGetAsList(readOptions, nCopies(storageKeys.size()), storageKeys);
            for (int i = 0; i < values.size(); i++) {
                byte[] v = values.get(i);
                if (v != null) {
                    out.add(
                            new LogEntry(
                                    userKeys.get(i),
                                    seqs.get(i),
                                    EntryValueCodec.timestamp(v),
                                    EntryValueCodec.value(v)));
                }
            }
        }
        return more;
    }

    private List<org.rocksdb.ColumnFamilyHandle> nCopies(int n) {
        return java.util.Collections.nCopies(n, store.entries);
    }

    /** Loads the index record under the iterator; false at the end of the index or range. */
    private boolean advanceRecord() throws RocksDBException {
        if (!index.isValid()) {
            checkStatus(index);
            return false;
        }
        record = WriteIndexRecord.decode(index.key(), index.value());
        if (record.firstSequence() >= range.to()) {
            return false;
        }
        nextSeq = Math.max(nextSeq, record.firstSequence());
        return true;
    }
}
