package io.lsmlog.write;

import io.lsmlog.LogClosedException;
import io.lsmlog.Segment;
import io.lsmlog.storage.EntryRows;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites each segment, once it is sealed, into per-key chunks: its runs are read in (key,
 * sequence) order, joined into chunks of up to {@link EntryRows#MAX_RUN_BYTES} that never cross a
 * {@link EntryRows#STRETCH} window, and written with an SST writer into one file, which is ingested
 * into the {@code sealed} family — where it lands below everything else and is never compacted —
 * before the segment's runs are range-deleted. Readers pick a segment's chunks as soon as they are
 * there ({@link Store#newSegmentIterator}), so they see the runs or the chunks, never both or
 * neither.
 *
 * <p>Crash-safe at every step: a file not yet ingested is rebuilt, runs not yet deleted are
 * deleted, when the log opens again (the writer hands every sealed segment to the sealer on open).
 */
final class Sealer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sealer.class);

    /**
     * For crash tests: system property {@code lsmlog.test.sealStop} = {@code after-file} or {@code
     * after-ingest} makes every seal stop there with an error, leaving what a crash there would.
     */
    static final String STOP_PROPERTY = "lsmlog.test.sealStop";

    private static boolean stopAt(String point) {
        return point.equals(System.getProperty(STOP_PROPERTY));
    }

    private final Store store;
    private final Writer writer;
    private final LinkedBlockingQueue<Segment> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile int sealing = -1;
    private volatile long sealedCount;

    Sealer(Store store, Writer writer) {
        this.store = store;
        this.writer = writer;
        this.thread = new Thread(this::run, "lsmlog-sealer-" + store.directory.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /** Seals a segment that will receive no more appends (at the latest on the next open). */
    void seal(Segment segment) {
        queue.add(segment);
    }

    /** Segments sealed into chunks since the log opened. */
    long sealedCount() {
        return sealedCount;
    }

    /** True while there are segments waiting or being sealed. */
    boolean busy() {
        return !queue.isEmpty() || sealing >= 0;
    }

    private void run() {
        while (!closing) {
            Segment s;
            try {
                s = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // only close stops the sealer
            }
            if (s == null) {
                continue;
            }
            sealing = s.id();
            try {
                sealOne(s);
            } catch (LogClosedException e) {
                return;
            } catch (Exception e) {
                if (!closing) {
                    LOG.warn(
                            "sealing segment {} of {} failed; its runs stay readable and it is"
                                    + " sealed again when the log opens",
                            s.id(),
                            store.directory,
                            e);
                }
            } finally {
                sealing = -1;
            }
        }
    }

    private void sealOne(Segment s) throws Exception {
        if (store.isChunked(s.id())) {
            deleteRunsIfAny(s); // a crash came after the ingest
            return;
        }
        Path dir = store.directory.resolve(Store.SEALING_DIR);
        Files.createDirectories(dir);
        Path file = dir.resolve("segment-" + s.id() + ".sst");
        Files.deleteIfExists(file);
        long rows;
        try {
            rows = writeChunks(s, file);
        } catch (Exception e) {
            Files.deleteIfExists(file);
            throw e;
        }
        if (rows == 0) {
            Files.deleteIfExists(file);
            return;
        }
        if (stopAt("after-file")) {
            // The file stays, as a crash would leave it.
            throw new IllegalStateException("test stop after the file of segment " + s.id());
        }
        try {
            writer.await(
                    writer.submit(
                            w -> {
                                if (!w.isLive(s.id())) {
                                    return null; // retention dropped it meanwhile
                                }
                                store.ingestSealed(file);
                                if (stopAt("after-ingest")) {
                                    throw new IllegalStateException(
                                            "test stop after ingesting segment " + s.id());
                                }
                                deleteRuns(s);
                                return null;
                            }));
            store.releaseSealedRuns(s.id());
            sealedCount++;
            LOG.debug("sealed segment {} of {} into {} chunks", s.id(), store.directory, rows);
        } finally {
            Files.deleteIfExists(file); // moved when ingested; else not needed any more
        }
    }

    /** Builds the segment's chunks into an SST file; returns the number of chunks. */
    private long writeChunks(Segment s, Path file) throws RocksDBException, IOException {
        try (Slice upper = new Slice(KeyCodec.segmentStart(s.id() + 1));
                ReadOptions ro = new ReadOptions().setIterateUpperBound(upper).setFillCache(false);
                RocksIterator it = store.db.newIterator(store.entries, ro);
                Store.SealedFileWriter out = store.sealedFileWriter(file)) {
            ChunkWriter chunks = new ChunkWriter(s, out);
            for (it.seek(KeyCodec.segmentStart(s.id())); it.isValid(); it.next()) {
                if (closing) {
                    throw new LogClosedException("log " + store.directory + " is closing");
                }
                byte[] rowKey = it.key();
                chunks.row(rowKey, it.value());
            }
            it.status();
            chunks.flush();
            if (out.rows() > 0) {
                out.finish();
            }
            return out.rows();
        }
    }

    /** Joins a segment's rows, in key order, into chunks. */
    private static final class ChunkWriter {
        private final Segment segment;
        private final Store.SealedFileWriter out;
        private final EntryRows.RunBuilder chunk = new EntryRows.RunBuilder(EntryRows.STRETCH);
        private byte[] rowKeyOfKey; // a row key of the current user key (for comparing)
        private byte[] key;
        private long window = -1;

        ChunkWriter(Segment segment, Store.SealedFileWriter out) {
            this.segment = segment;
            this.out = out;
        }

        void row(byte[] rowKey, byte[] row) throws RocksDBException {
            if (rowKeyOfKey == null || !sameKey(rowKeyOfKey, rowKey)) {
                flush();
                rowKeyOfKey = rowKey;
                key = KeyCodec.entryUserKey(rowKey);
            }
            RocksDBException[] failed = new RocksDBException[1];
            EntryRows.forEach(
                    KeyCodec.entrySequence(rowKey),
                    row,
                    (seq, ts, buf, off, len) -> {
                        long w = (seq - segment.startSequence()) / EntryRows.STRETCH;
                        try {
                            if (w != window || chunk.full()) {
                                flush();
                                window = w;
                            }
                        } catch (RocksDBException e) {
                            failed[0] = e;
                        }
                        chunk.add(seq, ts, buf, off, len);
                    });
            if (failed[0] != null) {
                throw failed[0];
            }
        }

        void flush() throws RocksDBException {
            if (!chunk.isEmpty()) {
                long first = chunk.firstSequence();
                out.put(KeyCodec.entryKey(segment.id(), key, first), chunk.finish());
            }
        }

        /** Row keys of one segment: the same user key when all but the sequence is equal. */
        private static boolean sameKey(byte[] a, byte[] b) {
            return a.length == b.length && Arrays.equals(a, 0, a.length - 8, b, 0, b.length - 8);
        }
    }

    private void deleteRunsIfAny(Segment s) throws RocksDBException {
        try (Slice upper = new Slice(KeyCodec.segmentStart(s.id() + 1));
                ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
                RocksIterator it = store.db.newIterator(store.entries, ro)) {
            it.seek(KeyCodec.segmentStart(s.id()));
            if (!it.isValid()) {
                it.status();
                return;
            }
        }
        writer.await(
                writer.submit(
                        w -> {
                            deleteRuns(s);
                            return null;
                        }));
    }

    private void deleteRuns(Segment s) throws RocksDBException {
        try (WriteBatch b = new WriteBatch();
                WriteOptions wo = new WriteOptions()) {
            b.deleteRange(
                    store.entries,
                    KeyCodec.segmentStart(s.id()),
                    KeyCodec.segmentStart(s.id() + 1));
            store.db.write(wo, b);
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
