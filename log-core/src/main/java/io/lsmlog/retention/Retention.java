package io.lsmlog.retention;

import io.lsmlog.LogException;
import io.lsmlog.LogStorageException;
import io.lsmlog.RetentionResult;
import io.lsmlog.Segment;
import io.lsmlog.storage.Bytes;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.MetaCodec;
import io.lsmlog.storage.RowIterator;
import io.lsmlog.storage.Store;
import io.lsmlog.write.Writer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops whole sealed segments that fall out of retention: older than a maximum age (every entry of
 * a segment was appended before the next segment started), or the oldest ones while the log is
 * larger than a maximum size. Never the newest segment.
 *
 * <p>A pass: (1) pick the segments; (2) list their keys (reads only); (3) on the writer thread,
 * delete their runs and chunks, write-index records, key-index counters and segment records in one
 * write (range deletions), then remove them from the live view (only once the write succeeded); (4)
 * delete the SST files wholly inside the dropped range and compact it, so the disk space really
 * comes back.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final Writer writer;
    private final Store store;
    private final Clock clock;

    /**
     * The least a pass waits between writing the drop and reclaiming the files (measured: 60 ms
     * left a reader showing the oldest segment incomplete in 4 runs of 10 of ConcurrencyTest, 300
     * ms in none of 8).
     */
    private static final Duration READER_GRACE_FLOOR = Duration.ofMillis(500);

    /**
     * How long the space reclaim waits after the drop is written: readers in other processes
     * (RocksDB secondaries) catch up every {@code readerRefreshInterval}; one that caught up while
     * the reclaim's flush, file deletions and compactions were under way could see a file deletion
     * before the write that dropped the segments, and for a few scans show the new oldest segment
     * incomplete. Three refresh intervals, at least {@link #READER_GRACE_FLOOR}, let them see the
     * drop first.
     */
    private final Duration readerGrace;

    public Retention(Writer writer, Clock clock, Duration readerRefreshInterval) {
        Duration threeRefreshes = readerRefreshInterval.multipliedBy(3);
        this.readerGrace =
                threeRefreshes.compareTo(READER_GRACE_FLOOR) > 0
                        ? threeRefreshes
                        : READER_GRACE_FLOOR;
        this.writer = writer;
        this.store = writer.store();
        this.clock = clock;
    }

    /** One pass with the given bounds (null / 0: no bound of that kind). */
    public RetentionResult apply(Duration maxAge, long maxBytes) {
        long before = store.diskBytes();
        List<Segment> segments = call(w -> w.segments());
        if (segments.size() < 2) {
            return new RetentionResult(List.of(), before, before);
        }
        int drop = 0;
        if (maxAge != null) {
            long cutoff = clock.millis() - maxAge.toMillis();
            // Segment i's entries were all appended before segment i+1 started.
            while (drop < segments.size() - 1 && segments.get(drop + 1).startTime() <= cutoff) {
                drop++;
            }
        }
        if (maxBytes > 0) {
            // Memtable size estimates are sampled and can be off by 2x; flushed files are exact.
            flush();
            long[] sizes = store.segmentFileBytes(segments);
            long total = 0;
            for (long s : sizes) {
                total += s;
            }
            for (int i = 0; i < drop; i++) {
                total -= sizes[i];
            }
            while (total > maxBytes && drop < segments.size() - 1) {
                total -= sizes[drop++];
            }
        }
        if (drop == 0) {
            return new RetentionResult(List.of(), before, before);
        }
        List<Segment> dropped = List.copyOf(segments.subList(0, drop));
        int firstId = dropped.get(0).id();
        int endId = dropped.get(drop - 1).id() + 1;
        long endSequence = segments.get(drop).startSequence();
        List<byte[]> keyIndexKeys = keyIndexKeysOf(dropped);
        int count = drop;
        call(
                w -> {
                    // The writer may have rolled more segments since; ours are still the oldest.
                    if (w.segments().isEmpty() || w.segments().get(0).id() != firstId) {
                        throw new LogException("segments changed during retention; retry");
                    }
                    try (WriteBatch batch = new WriteBatch();
                            WriteOptions wo = new WriteOptions()) {
                        batch.deleteRange(
                                store.entries,
                                KeyCodec.segmentStart(firstId),
                                KeyCodec.segmentStart(endId));
                        if (store.sealed != null) {
                            batch.deleteRange(
                                    store.sealed,
                                    KeyCodec.segmentStart(firstId),
                                    KeyCodec.segmentStart(endId));
                        }
                        batch.deleteRange(
                                store.writeIndex, Bytes.ofLong(0), Bytes.ofLong(endSequence));
                        for (byte[] k : keyIndexKeys) {
                            batch.delete(store.keyIndex, k);
                        }
                        for (Segment s : dropped) {
                            batch.delete(store.meta, MetaCodec.segmentKey(s.id()));
                        }
                        store.db.write(wo, batch);
                    }
                    // Only once the drop is written: a failed write leaves the segments live.
                    w.dropOldest(count);
                    return null;
                });
        awaitReaders();
        reclaim(KeyCodec.segmentStart(firstId), KeyCodec.segmentStart(endId), endSequence);
        long after = store.diskBytes();
        LOG.info(
                "retention dropped segments {}..{} (sequences below {}): {} -> {} bytes on disk",
                firstId,
                endId - 1,
                endSequence,
                before,
                after);
        return new RetentionResult(dropped, before, after);
    }

    private void flush() {
        try {
            store.flushMemtables();
        } catch (RocksDBException e) {
            throw new LogStorageException(
                    "retention could not flush memtables in " + store.directory, e);
        }
    }

    private void awaitReaders() {
        try {
            Thread.sleep(readerGrace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // reclaim now; only the readers' view may suffer
        }
    }

    private void reclaim(byte[] from, byte[] to, long endSequence) {
        try {
            store.flushMemtables(); // the dropped data's WAL files can go too
            store.db.deleteFilesInRanges(store.entries, List.of(from, to), false);
            if (store.sealed != null) {
                store.db.deleteFilesInRanges(store.sealed, List.of(from, to), false);
            }
            store.db.compactRange(store.entries, from, to);
            store.db.compactRange(store.writeIndex, Bytes.ofLong(0), Bytes.ofLong(endSequence));
            store.db.compactRange(store.keyIndex);
        } catch (RocksDBException e) {
            // The data is already gone from every read; only the space comes back later.
            LOG.warn("retention could not reclaim disk space in {} now", store.directory, e);
        }
    }

    /** The key-index records of the segments: one per (key, segment), from a skip scan. */
    private List<byte[]> keyIndexKeysOf(List<Segment> segments) {
        List<byte[]> out = new ArrayList<>();
        try {
            for (Segment s : segments) {
                try (RowIterator it = store.newSegmentIterator(s.id())) {
                    byte[] end = KeyCodec.segmentStart(s.id() + 1);
                    it.seek(KeyCodec.segmentStart(s.id()));
                    while (it.isValid() && java.util.Arrays.compareUnsigned(it.key(), end) < 0) {
                        byte[] key = KeyCodec.entryUserKey(it.key());
                        out.add(KeyCodec.keyIndexKey(key, s.id()));
                        it.seek(KeyCodec.entryKeyAfter(s.id(), key));
                    }
                    it.status();
                }
            }
        } catch (RocksDBException e) {
            throw Store.translate("list keys for retention", store.directory, e);
        }
        return out;
    }

    private <T> T call(Writer.WriterAction action) {
        @SuppressWarnings("unchecked")
        T t = (T) writer.await(writer.submit(action));
        return t;
    }
}
