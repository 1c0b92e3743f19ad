package io.lsmlog.read;

import io.lsmlog.InvalidArgumentException;
import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.Limits;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.Segment;
import io.lsmlog.SeqRange;
import io.lsmlog.storage.Bytes;
import io.lsmlog.storage.EntryRows;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.RowIterator;
import io.lsmlog.storage.Store;
import io.lsmlog.storage.WriteIndexRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** The read operations of a log, shared by the writer and by read-only views. */
public final class Reads {
    private final Store store;
    private final Guard guard;
    private final Supplier<View> view;

    public Reads(Store store, Guard guard, Supplier<View> view) {
        this.store = store;
        this.guard = guard;
        this.view = view;
    }

    public View view() {
        guard.checkOpen();
        return view.get();
    }

    private static void checkKey(byte[] key) {
        if (key == null || key.length == 0 || key.length > Limits.MAX_KEY_BYTES) {
            throw new InvalidArgumentException(
                    "key must be 1.."
                            + Limits.MAX_KEY_BYTES
                            + " bytes, got "
                            + (key == null ? "null" : key.length + " bytes"));
        }
    }

    /** The first sequence still kept in a view: where its oldest live segment starts. */
    static long firstSequence(View v) {
        return v.segments().isEmpty() ? v.nextSequence() : v.segments().get(0).startSequence();
    }

    public long firstSequence() {
        return firstSequence(view());
    }

    /**
     * A range that asked to fail when its start was dropped fails here, against the scan's view.
     */
    private static void checkRetained(View v, SeqRange range) {
        long first = firstSequence(v);
        if (range.failsIfDropped() && range.from() < first) {
            throw new io.lsmlog.SequenceDroppedException(range.from(), first);
        }
    }

    public LogIterator scan(byte[] key, SeqRange range) {
        checkKey(key);
        View v = view();
        checkRetained(v, range);
        SeqRange r = range.upTo(v.nextSequence());
        guard.enter();
        try {
            List<Integer> segs = new ArrayList<>();
            for (KeySegment ks : keySegments(v, key)) {
                if (v.overlaps(ks.index, r)) {
                    segs.add(ks.index);
                }
            }
            return new KeyScan(store, guard, v, key, r, segs);
        } finally {
            guard.exit();
        }
    }

    public LogIterator scan(KeyRange keys, SeqRange range) {
        View v = view();
        checkRetained(v, range);
        guard.enter();
        try {
            return new RangeScan(store, guard, v, keys, range.upTo(v.nextSequence()));
        } finally {
            guard.exit();
        }
    }

    public LogIterator scanBySequence(KeyRange keys, SeqRange range) {
        return scanBySequence(List.of(keys), range);
    }

    /** Entries of several disjoint key ranges (sorted by start) in one sequence-order pass. */
    public LogIterator scanBySequence(List<KeyRange> keys, SeqRange range) {
        View v = view();
        checkRetained(v, range);
        SeqRange r = range.upTo(v.nextSequence());
        long first = firstSequence(v);
        if (r.from() < first) {
            r = new SeqRange(Math.min(r.to(), first), r.to());
        }
        guard.enter();
        try {
            return new SequenceScan(store, guard, v, keys, r);
        } finally {
            guard.exit();
        }
    }

    public KeyIterator keys(KeyRange range) {
        View v = view();
        guard.enter();
        try {
            return new IndexKeys(store, guard, v, range);
        } finally {
            guard.exit();
        }
    }

    public KeyIterator keys(List<Segment> segments, KeyRange range) {
        View v = view();
        List<Integer> ids = new ArrayList<>();
        for (Segment s : segments) {
            if (v.indexOf(s.id()) >= 0) {
                ids.add(s.id());
            }
        }
        guard.enter();
        try {
            return new SegmentKeys(store, guard, ids, range);
        } finally {
            guard.exit();
        }
    }

    public Optional<LogEntry> latest(byte[] key) {
        return latestBefore(key, Long.MAX_VALUE);
    }

    /** The newest entry of the key with a sequence below {@code bound}. */
    public Optional<LogEntry> latestBefore(byte[] key, long bound) {
        checkKey(key);
        View v = view();
        // Entries at or above the frontier are not visible yet.
        long upper = Math.min(bound, v.nextSequence());
        if (upper <= 0) {
            return Optional.empty();
        }
        guard.enter();
        try {
            List<KeySegment> segs = keySegments(v, key);
            // Newest segment first, skipping those that start at or above the bound.
            for (int i = segs.size() - 1; i >= 0; i--) {
                Segment s = v.segments().get(segs.get(i).index);
                if (s.startSequence() >= upper) {
                    continue;
                }
                byte[][] row = store.lastRowAtOrBelow(s.id(), key, upper - 1);
                if (row != null) {
                    LogEntry e =
                            EntryRows.lastBelow(
                                    key.clone(), KeyCodec.entrySequence(row[0]), row[1], upper);
                    if (e != null) {
                        return Optional.of(e);
                    }
                }
            }
            return Optional.empty();
        } catch (RocksDBException e) {
            throw Store.translate("read the latest entry", store.directory, e);
        } finally {
            guard.exit();
        }
    }

    public long count(byte[] key, SeqRange range) {
        checkKey(key);
        View v = view();
        SeqRange r = range.upTo(v.nextSequence());
        guard.enter();
        try {
            long n = 0;
            for (KeySegment ks : keySegments(v, key)) {
                n += countIn(v, ks, key, r);
            }
            return n;
        } catch (RocksDBException e) {
            throw Store.translate("count entries", store.directory, e);
        } finally {
            guard.exit();
        }
    }

    public long count(KeyRange keys, SeqRange range) {
        View v = view();
        SeqRange r = range.upTo(v.nextSequence());
        guard.enter();
        try (RocksIterator it = store.db.newIterator(store.keyIndex)) {
            long n = 0;
            for (it.seek(KeyCodec.keyIndexBound(keys.start())); it.isValid(); it.next()) {
                byte[] ik = it.key();
                byte[] key = KeyCodec.keyIndexUserKey(ik);
                if (keys.end() != null && Arrays.compareUnsigned(key, keys.end()) >= 0) {
                    break;
                }
                int idx = v.indexOf(KeyCodec.keyIndexSegment(ik));
                if (idx >= 0) {
                    n +=
                            countIn(
                                    v,
                                    new KeySegment(idx, Bytes.fromLittleEndian(it.value())),
                                    key,
                                    r);
                }
            }
            it.status();
            return n;
        } catch (RocksDBException e) {
            throw Store.translate("count entries", store.directory, e);
        } finally {
            guard.exit();
        }
    }

    /**
     * Counts of disjoint key ranges, range i over {@code [from[i], to)}, in one pass over the write
     * index: each record names the key of each of its sequences, so the cost is the entries between
     * the lowest start and {@code to}, not the keys (the key index costs a row per key and segment,
     * and a seek per key in a segment the range covers in part). Sequences retention dropped have
     * no records left and count nothing, as in {@link #count(KeyRange, SeqRange)}.
     */
    public long[] countRanges(List<KeyRange> ranges, List<Long> from, long to) {
        View v = view();
        long end = Math.min(to, v.nextSequence());
        long[] out = new long[ranges.size()];
        long lo = Long.MAX_VALUE;
        for (long f : from) {
            lo = Math.min(lo, f);
        }
        lo = Math.max(lo, firstSequence(v));
        if (ranges.isEmpty() || lo >= end) {
            return out;
        }
        // Ranges sorted by start, to find a key's range by binary search.
        int[] order = SortedRanges.orderByStart(ranges);
        List<KeyRange> sorted = SortedRanges.inOrder(ranges, order);
        guard.enter();
        try (RocksIterator it = store.db.newIterator(store.writeIndex)) {
            it.seekForPrev(Bytes.ofLong(lo));
            if (!it.isValid()) {
                it.seek(Bytes.ofLong(lo));
            }
            for (; it.isValid(); it.next()) {
                WriteIndexRecord rec = WriteIndexRecord.decode(it.key(), it.value());
                if (rec.firstSequence() >= end) {
                    break;
                }
                if (rec.nextSequence() <= lo) {
                    continue;
                }
                List<byte[]> keys = rec.keys();
                int[] rangeOf = new int[keys.size()];
                for (int k = 0; k < rangeOf.length; k++) {
                    int at = SortedRanges.indexOf(sorted, keys.get(k));
                    rangeOf[k] = at < 0 ? -1 : order[at];
                }
                int[] keyOf = rec.keyOfRecord();
                long first = rec.firstSequence();
                int i0 = (int) (Math.max(lo, first) - first);
                int i1 = (int) (Math.min(end, rec.nextSequence()) - first);
                for (int i = i0; i < i1; i++) {
                    int r = rangeOf[keyOf[i]];
                    if (r >= 0 && first + i >= from.get(r)) {
                        out[r]++;
                    }
                }
            }
            it.status();
            return out;
        } catch (RocksDBException e) {
            throw Store.translate("count entries", store.directory, e);
        } finally {
            guard.exit();
        }
    }

    /**
     * About how many entries each of several disjoint key ranges holds, from the key index alone:
     * sealed segments' counters are exact; the open segment's entries, which the index counts only
     * when the segment seals, are shared out by how many of its keys fall in each range. One pass
     * over the index, a row per key and segment, and no entry is read: weights to balance a reader
     * group by, not a count ({@link #countRanges} is exact).
     */
    public long[] estimateRanges(List<KeyRange> ranges) {
        View v = view();
        long[] out = new long[ranges.size()];
        if (ranges.isEmpty() || v.segments().isEmpty()) {
            return out;
        }
        int[] order = SortedRanges.orderByStart(ranges);
        List<KeyRange> sorted = SortedRanges.inOrder(ranges, order);
        int open = v.segments().size() - 1;
        long[] openKeys = new long[out.length];
        long openKeyTotal = 0;
        guard.enter();
        try (RocksIterator it = store.db.newIterator(store.keyIndex)) {
            for (it.seek(KeyCodec.keyIndexBound(sorted.get(0).start())); it.isValid(); it.next()) {
                byte[] ik = it.key();
                int at = SortedRanges.indexOf(sorted, KeyCodec.keyIndexUserKey(ik));
                int idx = v.indexOf(KeyCodec.keyIndexSegment(ik));
                if (at < 0 || idx < 0) {
                    continue;
                }
                if (idx == open) {
                    openKeys[order[at]]++;
                    openKeyTotal++;
                } else {
                    out[order[at]] += Bytes.fromLittleEndian(it.value());
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw Store.translate("estimate entries", store.directory, e);
        } finally {
            guard.exit();
        }
        long openEntries = v.nextSequence() - v.segments().get(open).startSequence();
        for (int i = 0; openKeyTotal > 0 && i < out.length; i++) {
            out[i] += openEntries * openKeys[i] / openKeyTotal;
        }
        return out;
    }

    /**
     * Entries of a key in one segment within the range: the index's exact counter when the whole
     * segment is inside the range and sealed in this view, else a key-only scan of that part.
     */
    private long countIn(View v, KeySegment ks, byte[] key, SeqRange r) throws RocksDBException {
        if (!v.overlaps(ks.index, r)) {
            return 0;
        }
        boolean sealed = ks.index + 1 < v.segments().size();
        if (sealed && v.within(ks.index, r)) {
            return ks.count;
        }
        Segment s = v.segments().get(ks.index);
        byte[] escaped = KeyCodec.escapeTerminated(key);
        long n = 0;
        try (RowIterator it = store.newSegmentIterator(s.id())) {
            long from = Math.max(r.from(), s.startSequence());
            for (RowSeek.seek(it, s.id(), key, escaped, from, s.startSequence());
                    it.isValid();
                    it.next()) {
                byte[] sk = it.key();
                if (KeyCodec.entrySegment(sk) != s.id()
                        || !KeyCodec.entryHasKey(sk, escaped)
                        || KeyCodec.entrySequence(sk) >= r.to()) {
                    break;
                }
                n += EntryRows.count(KeyCodec.entrySequence(sk), it.value(), r.from(), r.to());
            }
            it.status();
        }
        return n;
    }

    private record KeySegment(int index, long count) {}

    /** The live segments holding the key, with the key's entry count in each, oldest first. */
    private List<KeySegment> keySegments(View v, byte[] key) {
        byte[] prefix = KeyCodec.escapeTerminated(key);
        List<KeySegment> out = new ArrayList<>();
        try (RocksIterator it = store.db.newIterator(store.keyIndex)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] ik = it.key();
                if (ik.length != prefix.length + 4
                        || !Arrays.equals(ik, 0, prefix.length, prefix, 0, prefix.length)) {
                    break;
                }
                int idx = v.indexOf(KeyCodec.keyIndexSegment(ik));
                if (idx >= 0) {
                    out.add(new KeySegment(idx, Bytes.fromLittleEndian(it.value())));
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw Store.translate("read the key index", store.directory, e);
        }
        return out;
    }

    /**
     * First sequence appended at or after the time: append times only grow, so find the last
     * segment opened before it and walk that segment's write-index records.
     */
    public long sequenceAt(long timestamp) {
        View v = view();
        List<Segment> segs = v.segments();
        int idx = -1;
        for (int i = 0; i < segs.size() && segs.get(i).startTime() < timestamp; i++) {
            idx = i;
        }
        if (idx < 0) {
            return segs.isEmpty() ? v.nextSequence() : segs.get(0).startSequence();
        }
        long end = v.end(idx);
        guard.enter();
        try (RocksIterator it = store.db.newIterator(store.writeIndex)) {
            for (it.seek(Bytes.ofLong(segs.get(idx).startSequence())); it.isValid(); it.next()) {
                WriteIndexRecord rec = WriteIndexRecord.decode(it.key(), it.value());
                if (rec.firstSequence() >= end) {
                    break;
                }
                if (rec.appendTime() >= timestamp) {
                    return rec.firstSequence();
                }
            }
            it.status();
            return end;
        } catch (RocksDBException e) {
            throw Store.translate("read the write index", store.directory, e);
        } finally {
            guard.exit();
        }
    }

    public long approximateBytes(Segment segment) {
        View v = view();
        if (v.indexOf(segment.id()) < 0) {
            return 0;
        }
        guard.enter();
        try {
            return store.approximateSegmentBytes(List.of(segment))[0];
        } finally {
            guard.exit();
        }
    }

    public long diskBytes() {
        guard.checkOpen();
        return store.diskBytes();
    }
}
