package io.lsmlog.read;

import io.lsmlog.KeyRange;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.SeqRange;
import io.lsmlog.storage.Bytes;
import io.lsmlog.storage.EntryRows;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.Store;
import io.lsmlog.storage.WriteIndexRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Entries of a key range in global sequence order. In the open segment it is driven by the write
 * index, which names the key of every sequence: within a record, a key's first run starts at the
 * key's first sequence there and each further run at its next sequence after the run before, so
 * runs are found by point lookups (multiGet), a round at a time. A sealed segment is read a {@link
 * EntryRows#STRETCH}-aligned window at a time, each window one contiguous range of chunks. Either
 * way the entries are placed back by sequence. Cost is O(entries in the sequence range), whatever
 * the number of keys. Entries missing because retention dropped them are skipped.
 */
final class SequenceScan extends BufferedIterator<LogEntry> implements LogIterator {
    /**
     * Sequences gathered per round of lookups: RocksDB sorts a multiGet and probes each file once
     * for all the batch's keys in it, so bigger batches keep random lookups cheap when keys are
     * many.
     */
    static final int LOOKUP_BATCH = 2048;

    private final List<KeyRange> keys; // disjoint, by start
    private final SeqRange range;
    private final View view;
    private final RocksIterator index;
    private final ReadOptions readOptions;
    private final Map<Integer, Boolean> chunked = new HashMap<>();
    private boolean started;
    private boolean indexDone;
    private WriteIndexRecord pending; // read from the index, not yet wholly used
    private long nextSeq;

    SequenceScan(Store store, Guard guard, View view, List<KeyRange> keys, SeqRange range) {
        super(store, guard);
        this.keys = keys;
        this.range = range;
        this.view = view;
        this.readOptions = own(new ReadOptions());
        this.index = own(store.db.newIterator(store.writeIndex));
        this.nextSeq = range.from();
    }

    /**
     * A write-index record of the open segment, of which the scan wants {@code [from, to)}: the key
     * of each sequence, where each key's runs start, and the entries read, placed by sequence.
     */
    private static final class Stretch {
        final int segment;
        final long start;
        final long from;
        final long to;
        final List<byte[]> keyBytes;
        final int[] keyOf;
        boolean[] wanted; // by key id
        LogEntry[] bySequence; // the entries read, at sequence - from
        long[] lastOfKey; // last sequence of each key in the record
        private int[] byKey; // record positions grouped by key, ascending within a key
        private int[] keyStart; // where each key's positions start in byKey

        Stretch(int segment, WriteIndexRecord r, long from, long to) {
            this.segment = segment;
            this.start = r.firstSequence();
            this.from = from;
            this.to = to;
            keyBytes = r.keys();
            this.keyOf = r.keyOfRecord();
        }

        /** Puts an entry decoded into its place by sequence. */
        void place(LogEntry e) {
            bySequence[(int) (e.sequence() - from)] = e;
        }

        void index(List<KeyRange> keys) {
            int n = keyBytes.size();
            wanted = new boolean[n];
            lastOfKey = new long[n];
            for (int k = 0; k < n; k++) {
                wanted[k] = SortedRanges.indexOf(keys, keyBytes.get(k)) >= 0;
            }
            bySequence = new LogEntry[(int) (to - from)];
            keyStart = new int[n + 1];
            for (int k : keyOf) {
                keyStart[k + 1]++;
            }
            for (int k = 0; k < n; k++) {
                keyStart[k + 1] += keyStart[k];
            }
            byKey = new int[keyOf.length];
            int[] fill = java.util.Arrays.copyOf(keyStart, n);
            for (int i = 0; i < keyOf.length; i++) {
                byKey[fill[keyOf[i]]++] = i;
                lastOfKey[keyOf[i]] = start + i;
            }
        }

        /** The first sequence of key k in the record after {@code after} (-1: none). */
        long nextOfKey(int k, long after) {
            long rel = after - start;
            int lo = keyStart[k];
            int hi = keyStart[k + 1];
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (byKey[mid] <= rel) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < keyStart[k + 1] ? start + byKey[lo] : -1;
        }
    }

    /** A row to look up: key k of a stretch, starting at a sequence. */
    private record Lookup(Stretch stretch, int key, long sequence) {}

    @Override
    protected boolean fill(ArrayDeque<LogEntry> out) throws RocksDBException {
        if (nextSeq >= range.to()) {
            return false;
        }
        int here = segmentAt(nextSeq);
        if (here >= 0 && isChunked(view.segments().get(here).id())) {
            readSealedRound(here, out);
            return true;
        }
        if (!started) {
            started = true;
            index.seekForPrev(Bytes.ofLong(range.from()));
            if (!index.isValid()) {
                index.seek(Bytes.ofLong(range.from()));
            }
        }
        WriteIndexRecord first = peekRecord();
        while (first != null && first.nextSequence() <= nextSeq) {
            takeRecord();
            first = peekRecord();
        }
        if (first == null) {
            return false;
        }
        int segment = first.segment();
        long scanFrom = Math.max(nextSeq, first.firstSequence());
        if (scanFrom >= range.to()) {
            return false;
        }
        // A round reads whole records of runs (at least LOOKUP_BATCH sequences of them), or a
        // whole window of chunks: so that no row is read twice.
        long limit = Math.max(scanFrom + LOOKUP_BATCH, first.nextSequence());
        if (isChunked(segment)) {
            int idx = view.indexOf(segment);
            if (idx >= 0) {
                long segStart = view.segments().get(idx).startSequence();
                limit =
                        segStart
                                + ((scanFrom - segStart) / EntryRows.STRETCH + 1)
                                        * EntryRows.STRETCH;
            }
        }
        List<WriteIndexRecord> recs = new ArrayList<>();
        long scanTo = scanFrom;
        for (WriteIndexRecord rec = first;
                rec != null && rec.segment() == segment && rec.firstSequence() < limit;
                rec = peekRecord()) {
            recs.add(rec);
            scanTo = Math.min(Math.min(range.to(), limit), rec.nextSequence());
            if (rec.nextSequence() > scanTo) {
                break; // the rest of it is for the next round
            }
            takeRecord();
        }
        nextSeq = scanTo;
        List<Stretch> stretches;
        List<LogEntry> chunkEntries = null;
        if (Boolean.TRUE.equals(chunked.get(segment))) {
            stretches = List.of();
            chunkEntries = readChunks(segment, scanFrom, scanTo);
        } else {
            stretches = new ArrayList<>();
            for (WriteIndexRecord r : recs) {
                Stretch s =
                        new Stretch(
                                segment,
                                r,
                                Math.max(scanFrom, r.firstSequence()),
                                Math.min(scanTo, r.nextSequence()));
                s.index(keys);
                stretches.add(s);
            }
            if (!read(stretches) && store.isChunked(segment)) {
                // Sealed into chunks since we looked: read the stretches again from there.
                chunked.put(segment, true);
                stretches = List.of();
                chunkEntries = readChunks(segment, scanFrom, scanTo);
            }
        }
        if (chunkEntries != null) {
            out.addAll(chunkEntries);
        }
        for (Stretch s : stretches) {
            for (LogEntry e : s.bySequence) {
                if (e != null) {
                    out.add(e);
                }
            }
        }
        return true;
    }

    /** Index in the view of the segment holding {@code sequence}, or -1 (none, or dropped). */
    private int segmentAt(long sequence) {
        int found = io.lsmlog.Segment.indexAt(view.segments(), sequence);
        return found >= 0 && sequence < view.end(found) ? found : -1;
    }

    /**
     * A round of a sealed segment: the rest of the window {@code nextSeq} is in, read from its
     * chunks. Driven by the view alone — a sealed segment needs nothing from the write index, and a
     * reader's view of the index may lag its chunks (records rewritten by a compaction after a
     * retention pass) — so the index is only moved past the round with one seek.
     */
    private void readSealedRound(int here, ArrayDeque<LogEntry> out) throws RocksDBException {
        io.lsmlog.Segment seg = view.segments().get(here);
        long segStart = seg.startSequence();
        long windowEnd =
                segStart + ((nextSeq - segStart) / EntryRows.STRETCH + 1) * EntryRows.STRETCH;
        long scanFrom = nextSeq;
        long scanTo = Math.min(Math.min(range.to(), windowEnd), view.end(here));
        nextSeq = scanTo;
        started = true;
        pending = null;
        indexDone = false;
        index.seekForPrev(Bytes.ofLong(scanTo));
        if (!index.isValid()) {
            index.seek(Bytes.ofLong(scanTo));
        }
        out.addAll(readChunks(seg.id(), scanFrom, scanTo));
    }

    private boolean isChunked(int segment) throws RocksDBException {
        Boolean c = chunked.get(segment);
        if (c == null) {
            c = store.isChunked(segment);
            chunked.put(segment, c);
        }
        return c;
    }

    /**
     * Entries {@code [from, to)} of a sealed segment: each window it touches is one contiguous
     * range of the {@code sealed} family (chunk keys are window-major), read in order and put in
     * sequence order — no lookups, each chunk read once. All keys: placed in slots by sequence. A
     * part of the keys: sorted, so that the cost follows the entries read, not the window (a reader
     * group reads a window once per key range).
     */
    private List<LogEntry> readChunks(int segment, long from, long to) throws RocksDBException {
        boolean allKeys =
                keys.size() == 1 && keys.get(0).start() == null && keys.get(0).end() == null;
        LogEntry[] slots = allKeys ? new LogEntry[(int) (to - from)] : null;
        List<LogEntry> read = new ArrayList<>();
        int idx = view.indexOf(segment);
        if (idx < 0) {
            return read; // dropped by retention
        }
        long segStart = view.segments().get(idx).startSequence();
        int firstWindow = (int) ((from - segStart) / EntryRows.STRETCH);
        int lastWindow = (int) ((to - 1 - segStart) / EntryRows.STRETCH);
        for (int w = firstWindow; w <= lastWindow; w++) {
            for (KeyRange range : keys) {
                byte[] startBound = KeyCodec.segmentKeyBound(segment, range.start());
                byte[] end =
                        range.end() == null
                                ? KeyCodec.windowStart(segment, w + 1)
                                : KeyCodec.chunkKeyOf(
                                        KeyCodec.segmentKeyBound(segment, range.end()), w);
                try (org.rocksdb.Slice upper = new org.rocksdb.Slice(end);
                        ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
                        RocksIterator it = store.db.newIterator(store.sealed, ro)) {
                    for (it.seek(KeyCodec.chunkKeyOf(startBound, w)); it.isValid(); it.next()) {
                        byte[] k = it.key();
                        long first = KeyCodec.entrySequence(k);
                        if (first >= to) {
                            continue; // a later chunk of this key; the next key's may still count
                        }
                        EntryRows.decode(
                                KeyCodec.chunkUserKey(k),
                                first,
                                it.value(),
                                from,
                                to,
                                allKeys ? e -> slots[(int) (e.sequence() - from)] = e : read::add);
                    }
                    it.status();
                }
            }
        }
        if (allKeys) {
            for (LogEntry e : slots) {
                if (e != null) {
                    read.add(e);
                }
            }
        } else {
            // Each chunk is in sequence order already: the sort merges runs (of all the ranges).
            read.sort(java.util.Comparator.comparingLong(LogEntry::sequence));
        }
        return read;
    }

    /**
     * Reads the runs of every wanted key of the records, in rounds of multiGets; false if a run was
     * missing (the segment was sealed or dropped meanwhile).
     */
    private boolean read(List<Stretch> stretches) throws RocksDBException {
        boolean complete = true;
        List<Lookup> round = new ArrayList<>();
        for (Stretch s : stretches) {
            for (int k = 0; k < s.wanted.length; k++) {
                if (s.wanted[k] && s.lastOfKey[k] >= s.from) {
                    // The key's first row in the stretch starts at its first sequence in it.
                    round.add(new Lookup(s, k, s.nextOfKey(k, s.start - 1)));
                }
            }
        }
        while (!round.isEmpty()) {
            List<byte[]> rowKeys = new ArrayList<>(round.size());
            for (Lookup l : round) {
                rowKeys.add(
                        KeyCodec.entryKey(
                                l.stretch.segment, l.stretch.keyBytes.get(l.key), l.sequence));
            }
            List<byte[]> rows =
                    store.db.multiGetAsList(
                            readOptions, Collections.nCopies(round.size(), store.entries), rowKeys);
            List<Lookup> nextRound = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                byte[] row = rows.get(i);
                if (row == null) {
                    // multiGet gives null for a failed read as for a missing row (RocksJava drops
                    // the per-key status); a get of the rare misses throws on a damaged block.
                    row = store.db.get(store.entries, readOptions, rowKeys.get(i));
                }
                if (row == null) {
                    complete = false;
                    continue;
                }
                Lookup l = round.get(i);
                Stretch s = l.stretch;
                byte[] key = s.keyBytes.get(l.key);
                long last = EntryRows.decode(key, l.sequence, row, s.from, s.to, s::place);
                if (last >= s.lastOfKey[l.key] || last + 1 >= s.to) {
                    continue;
                }
                if (EntryRows.isSingle(row)) {
                    // First format: every entry is its own row; ask for all the rest at once.
                    for (long q = s.nextOfKey(l.key, Math.max(last, s.from - 1));
                            q >= 0 && q < s.to;
                            q = s.nextOfKey(l.key, q)) {
                        nextRound.add(new Lookup(s, l.key, q));
                    }
                } else {
                    nextRound.add(new Lookup(s, l.key, s.nextOfKey(l.key, last)));
                }
            }
            round = nextRound;
        }
        return complete;
    }

    /** The index record under the iterator (null at the end of the index or the range). */
    private WriteIndexRecord peekRecord() throws RocksDBException {
        if (pending != null) {
            return pending;
        }
        if (indexDone) {
            return null;
        }
        if (!index.isValid()) {
            checkStatus(index);
            indexDone = true;
            return null;
        }
        WriteIndexRecord rec = WriteIndexRecord.decode(index.key(), index.value());
        if (rec.firstSequence() >= range.to()) {
            indexDone = true;
            return null;
        }
        pending = rec;
        return rec;
    }

    private void takeRecord() {
        pending = null;
        index.next();
    }
}
