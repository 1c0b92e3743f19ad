package io.lsmlog.write;

import io.lsmlog.LogClosedException;
import io.lsmlog.Segment;
import io.lsmlog.storage.EntryRows;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * {@link EntryRows#STRETCH} window, and written with SST writers, one file per window (chunk keys
 * are window-major, {@link KeyCodec#chunkKey}), which are ingested together into the {@code sealed}
 * family — where they land below everything else and are never compacted — before the segment's
 * runs are range-deleted. Readers pick a segment's chunks as soon as they are there ({@link
 * Store#newSegmentIterator}), so they see the runs or the chunks, never both or neither.
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
    private volatile long sealedBytes;

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

    /** Bytes of the files written for seals since the log opened. */
    long sealedBytes() {
        return sealedBytes;
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
        deleteFilesOf(dir, s);
        List<Path> files;
        try {
            files = writeChunks(s, dir);
        } catch (Exception e) {
            deleteFilesOf(dir, s);
            throw e;
        }
        if (files.isEmpty()) {
            return;
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        sealedBytes += bytes;
        if (stopAt("after-file")) {
            // The files stay, as a crash would leave them.
            throw new IllegalStateException("test stop after the files of segment " + s.id());
        }
        try {
            writer.await(
                    writer.submit(
                            w -> {
                                if (!w.isLive(s.id())) {
                                    return null; // retention dropped it meanwhile
                                }
                                store.ingestSealed(files); // all windows at once, or none
                                if (stopAt("after-ingest")) {
                                    throw new IllegalStateException(
                                            "test stop after ingesting segment " + s.id());
                                }
                                deleteRuns(s);
                                return null;
                            }));
            store.releaseSealedRuns(s.id());
            sealedCount++;
            LOG.debug(
                    "sealed segment {} of {} into {} windows",
                    s.id(),
                    store.directory,
                    files.size());
        } finally {
            deleteFilesOf(dir, s); // moved when ingested; else not needed any more
        }
    }

    private static void deleteFilesOf(Path dir, Segment s) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().startsWith("segment-" + s.id() + "-")) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /**
     * Builds the segment's chunks, one SST file per window (a window's chunks are one key range of
     * the {@code sealed} family); returns the files.
     */
    private List<Path> writeChunks(Segment s, Path dir) throws RocksDBException, IOException {
        try (Slice upper = new Slice(KeyCodec.segmentStart(s.id() + 1));
                ReadOptions ro = new ReadOptions().setIterateUpperBound(upper).setFillCache(false);
                RocksIterator it = store.db.newIterator(store.entries, ro);
                ChunkWriter chunks = new ChunkWriter(s, dir)) {
            for (it.seek(KeyCodec.segmentStart(s.id())); it.isValid(); it.next()) {
                if (closing) {
                    throw new LogClosedException("log " + store.directory + " is closing");
                }
                chunks.row(it.key(), it.value());
            }
            it.status();
            return chunks.finish();
        }
    }

    /**
     * Joins a segment's rows, read in key order, into chunks, each window's into its own file: a
     * key's entries reach the windows in sequence order, so every file gets its keys in order.
     */
    private final class ChunkWriter implements AutoCloseable {
        private final Segment segment;
        private final Path dir;
        private final List<Store.SealedFileWriter> files = new ArrayList<>();
        private final List<Path> paths = new ArrayList<>();
        private final EntryRows.RunBuilder chunk = new EntryRows.RunBuilder(EntryRows.STRETCH);
        private byte[] rowKeyOfKey; // a row key of the current user key (for comparing)
        private byte[] key;
        private int window = -1;

        ChunkWriter(Segment segment, Path dir) {
            this.segment = segment;
            this.dir = dir;
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
                    (seq, ts, buf, off, len, tombstone) -> {
                        int w = (int) ((seq - segment.startSequence()) / EntryRows.STRETCH);
                        try {
                            if (w != window || chunk.full()) {
                                flush();
                                window = w;
                            }
                        } catch (RocksDBException e) {
                            failed[0] = e;
                        }
                        chunk.add(seq, ts, buf, off, len, tombstone);
                    });
            if (failed[0] != null) {
                throw failed[0];
            }
        }

        void flush() throws RocksDBException {
            if (!chunk.isEmpty()) {
                long first = chunk.firstSequence();
                file(window)
                        .put(KeyCodec.chunkKey(segment.id(), window, key, first), chunk.finish());
            }
        }

        private Store.SealedFileWriter file(int w) throws RocksDBException {
            while (files.size() <= w) {
                Path p = dir.resolve("segment-" + segment.id() + "-" + files.size() + ".sst");
                paths.add(p);
                files.add(store.sealedFileWriter(p));
            }
            return files.get(w);
        }

        /** Finishes every file; returns those with rows. */
        List<Path> finish() throws RocksDBException {
            flush();
            List<Path> out = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                if (files.get(i).rows() > 0) {
                    files.get(i).finish();
                    out.add(paths.get(i));
                }
            }
            return out;
        }

        /** Row keys of one segment: the same user key when all but the sequence is equal. */
        private boolean sameKey(byte[] a, byte[] b) {
            return a.length == b.length && Arrays.equals(a, 0, a.length - 8, b, 0, b.length - 8);
        }

        @Override
        public void close() {
            files.forEach(Store.SealedFileWriter::close);
        }
    }

    private void deleteRunsIfAny(Segment s) throws RocksDBException {
        if (!store.hasRuns(s.id())) {
            return;
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
