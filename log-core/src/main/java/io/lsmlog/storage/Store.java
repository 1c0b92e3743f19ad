package io.lsmlog.storage;

import io.lsmlog.LogConfig;
import io.lsmlog.LogCorruptedException;
import io.lsmlog.LogException;
import io.lsmlog.LogLockedException;
import io.lsmlog.LogNotFoundException;
import io.lsmlog.LogStorageException;
import io.lsmlog.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.Status;
import org.rocksdb.UInt64AddOperator;

/**
 * The RocksDB instance of a log and its column families:
 *
 * <ul>
 *   <li>{@code default}: metadata ({@link MetaCodec}) — format, frontier, segment table;
 *   <li>{@code entries}: the entries ({@link KeyCodec}, {@link EntryValueCodec});
 *   <li>{@code keyidx}: per (key, segment) entry counts, a uint64add merge ({@link KeyCodec});
 *   <li>{@code writeidx}: one record per stretch of a group commit ({@link WriteIndexRecord});
 *   <li>{@code sealed}: sealed segments rewritten as per-key chunks ({@link EntryRows}), keyed
 *       window-major ({@link KeyCodec#chunkKey}), one SST file per window built by the sealer and
 *       ingested — written once, never compacted.
 * </ul>
 *
 * Uses only RocksDB API that both rocksdbjni and Flink's frocksdbjni 8.10 have.
 */
public final class Store implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    /** How the instance is opened. */
    public enum Mode {
        /** The single writer: creates the log if missing, takes the directory's lock. */
        WRITER,
        /** A secondary instance following a writer that may run in another process. */
        SECONDARY
    }

    /**
     * Block-based table format of every SST file. Pinned to 5, the newest that Flink's frocksdbjni
     * 8.10 reads: rocksdbjni 11 writes a newer one by default, and a log written by the CLI or an
     * application could then not be read inside Flink (FormatCompatibilityTest runs a log written
     * by 11.8 on 8.10).
     */
    static final int SST_FORMAT_VERSION = 5;

    public static final String ENTRIES = "entries";
    public static final String KEY_INDEX = "keyidx";
    public static final String WRITE_INDEX = "writeidx";
    public static final String SEALED = "sealed";

    /** Where the sealer builds a segment's SST files before ingesting them. */
    public static final String SEALING_DIR = "sealing";

    public final RocksDB db;
    public final ColumnFamilyHandle meta;
    public final ColumnFamilyHandle entries;
    public final ColumnFamilyHandle keyIndex;
    public final ColumnFamilyHandle writeIndex;

    /** Null in a reader of a first-format log that no writer of this format opened yet. */
    public final ColumnFamilyHandle sealed;

    public final Statistics statistics;
    public final Path directory;
    private final List<AutoCloseable> resources;
    private final Cache cache;

    private Store(
            Path directory,
            RocksDB db,
            List<ColumnFamilyHandle> handles,
            Statistics statistics,
            List<AutoCloseable> resources,
            Cache cache) {
        this.directory = directory;
        this.cache = cache;
        this.db = db;
        this.meta = handles.get(0);
        this.entries = handles.get(1);
        this.keyIndex = handles.get(2);
        this.writeIndex = handles.get(3);
        this.sealed = handles.size() > 4 ? handles.get(4) : null;
        this.statistics = statistics;
        this.resources = resources;
    }

    /** Bytes of each segment's entries in SST files (memtables not counted), in order. */
    public long[] segmentFileBytes(List<Segment> segments) {
        return segmentBytes(segments, false);
    }

    /** Approximate bytes of each segment's entries in files and memtables, in order. */
    public long[] approximateSegmentBytes(List<Segment> segments) {
        return segmentBytes(segments, true);
    }

    private long[] segmentBytes(List<Segment> segments, boolean withMemtables) {
        try {
            return segmentBytesOrThrow(segments, withMemtables);
        } catch (RocksDBException e) {
            throw translate("measure segments", directory, e);
        }
    }

    private long[] segmentBytesOrThrow(List<Segment> segments, boolean withMemtables)
            throws RocksDBException {
        List<org.rocksdb.Range> ranges = new ArrayList<>();
        List<org.rocksdb.Slice> slices = new ArrayList<>();
        try {
            for (Segment s : segments) {
                org.rocksdb.Slice a = new org.rocksdb.Slice(KeyCodec.segmentStart(s.id()));
                org.rocksdb.Slice b = new org.rocksdb.Slice(KeyCodec.segmentStart(s.id() + 1));
                slices.add(a);
                slices.add(b);
                ranges.add(new org.rocksdb.Range(a, b));
            }
            // A sealed segment's bytes are its chunks' (its deleted runs may linger in files not
            // yet compacted); any other segment's are its runs'.
            long[] sizes = sizesIn(entries, ranges, withMemtables);
            if (sealed != null) {
                long[] chunks = sizesIn(sealed, ranges, withMemtables);
                for (int i = 0; i < sizes.length; i++) {
                    if (isChunked(segments.get(i).id())) {
                        sizes[i] = chunks[i];
                    }
                }
            }
            return sizes;
        } finally {
            slices.forEach(org.rocksdb.Slice::close);
        }
    }

    private long[] sizesIn(
            ColumnFamilyHandle family, List<org.rocksdb.Range> ranges, boolean withMemtables) {
        return withMemtables
                ? db.getApproximateSizes(
                        family,
                        ranges,
                        org.rocksdb.SizeApproximationFlag.INCLUDE_FILES,
                        org.rocksdb.SizeApproximationFlag.INCLUDE_MEMTABLES)
                : db.getApproximateSizes(
                        family, ranges, org.rocksdb.SizeApproximationFlag.INCLUDE_FILES);
    }

    /**
     * After a seal: the sealed segment's runs, just range-deleted, still fill the entries memtable;
     * flushing it now (in the background) drops them and frees the memory, and files of runs wholly
     * inside the segment (flushed while it was open) go without a compaction.
     */
    public void releaseSealedRuns(int segment) throws RocksDBException {
        try (org.rocksdb.FlushOptions fo = new org.rocksdb.FlushOptions().setWaitForFlush(false)) {
            db.flush(fo, entries);
        }
        db.deleteFilesInRanges(
                entries,
                List.of(KeyCodec.segmentStart(segment), KeyCodec.segmentStart(segment + 1)),
                false);
    }

    /** Flushes every memtable to files (and so lets old WAL files go). */
    public void flushMemtables() throws RocksDBException {
        try (org.rocksdb.FlushOptions fo = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
            List<ColumnFamilyHandle> all =
                    new ArrayList<>(List.of(meta, entries, keyIndex, writeIndex));
            if (sealed != null) {
                all.add(sealed);
            }
            db.flush(fo, all);
        }
    }

    /**
     * A RocksDB database that is not a log (no {@code entries} family) is refused before it is
     * opened for writing: opening it would add the log's column families to someone else's data.
     */
    private static void refuseForeignDatabase(Path dir) {
        List<String> families;
        try {
            families = familyNames(dir);
        } catch (RocksDBException e) {
            throw translate("read the column families of " + dir, dir, e);
        }
        // Every RocksDB database has the 'default' family: none at all means CURRENT or the
        // MANIFEST it names could not be read (RocksJava reports that as an empty list).
        if (families.isEmpty()) {
            throw new LogCorruptedException(
                    "cannot read the column families of "
                            + dir
                            + ": CURRENT or the MANIFEST it names is missing or damaged");
        }
        if (!families.contains(ENTRIES)) {
            throw new io.lsmlog.InvalidArgumentException(
                    "directory "
                            + dir
                            + " holds a RocksDB database that is not a log (it has no '"
                            + ENTRIES
                            + "' column family): refusing to write into it");
        }
    }

    private static List<String> familyNames(Path dir) throws RocksDBException {
        try (org.rocksdb.Options o = new org.rocksdb.Options()) {
            List<String> names = new ArrayList<>();
            for (byte[] f : RocksDB.listColumnFamilies(o, dir.toString())) {
                names.add(new String(f, java.nio.charset.StandardCharsets.UTF_8));
            }
            return names;
        }
    }

    /**
     * Chunks are read by seeks and sequential scans, never by point lookups of absent keys, so no
     * bloom filter: 16 KiB blocks in the shared cache.
     */
    private static BlockBasedTableConfig sealedTableConfig(Cache cache) {
        return new BlockBasedTableConfig()
                .setFormatVersion(SST_FORMAT_VERSION)
                .setBlockCache(cache)
                .setBlockSize(16 << 10);
    }

    /**
     * A writer of one SST file for the {@code sealed} family, with that family's table options; the
     * caller adds keys in order, finishes and ingests it ({@link #ingestSealed}).
     */
    public SealedFileWriter sealedFileWriter(Path file) throws RocksDBException {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            org.rocksdb.Options options =
                    track(owned, new org.rocksdb.Options())
                            .setCompressionType(CompressionType.LZ4_COMPRESSION)
                            .setTableFormatConfig(sealedTableConfig(cache));
            org.rocksdb.EnvOptions env = track(owned, new org.rocksdb.EnvOptions());
            org.rocksdb.SstFileWriter w = track(owned, new org.rocksdb.SstFileWriter(env, options));
            w.open(file.toString());
            return new SealedFileWriter(w, owned);
        } catch (RocksDBException | RuntimeException e) {
            closeAll(reversed(owned));
            throw e;
        }
    }

    /** An SST file being built for the {@code sealed} family. */
    public static final class SealedFileWriter implements AutoCloseable {
        private final org.rocksdb.SstFileWriter writer;
        private final List<AutoCloseable> owned;
        private long rows;

        private SealedFileWriter(org.rocksdb.SstFileWriter writer, List<AutoCloseable> owned) {
            this.writer = writer;
            this.owned = owned;
        }

        /** Adds a row; keys must come in increasing order. */
        public void put(byte[] key, byte[] value) throws RocksDBException {
            writer.put(key, value);
            rows++;
        }

        public long rows() {
            return rows;
        }

        public void finish() throws RocksDBException {
            writer.finish();
        }

        @Override
        public void close() {
            closeAll(reversed(owned));
        }
    }

    /** Moves finished SST files into the {@code sealed} family (atomically: all or none). */
    public void ingestSealed(List<Path> files) throws RocksDBException {
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            names.add(f.toString());
        }
        try (org.rocksdb.IngestExternalFileOptions o =
                new org.rocksdb.IngestExternalFileOptions().setMoveFiles(true)) {
            db.ingestExternalFile(sealed, names, o);
        }
    }

    private static List<AutoCloseable> reversed(List<AutoCloseable> list) {
        List<AutoCloseable> r = new ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }

    /** An iterator over the runs of the {@code entries} family (open segments). */
    public RowIterator newRunsIterator() {
        return new RunRows(db.newIterator(entries));
    }

    /**
     * An iterator over the rows of a segment, wherever they are now: its chunks once it has been
     * sealed into the {@code sealed} family, else its runs in {@code entries}. The runs' iterator
     * is made first and the chunks' second: the sealer ingests a segment's chunks before it deletes
     * its runs, so whatever happens in between, one of the two holds the whole segment.
     */
    public RowIterator newSegmentIterator(int segment) throws RocksDBException {
        RocksIterator runs = db.newIterator(entries);
        int windows;
        try {
            windows = chunkWindows(segment);
        } catch (RocksDBException | RuntimeException e) {
            runs.close();
            throw e;
        }
        if (windows > 0) {
            runs.close();
            return new ChunkRows(db, sealed, segment, windows);
        }
        return new RunRows(runs);
    }

    /**
     * The newest row of {@code key} in the segment that starts at or below {@code sequence}, as
     * {storage key in the entries layout, value}, or null. A sealed segment is looked at window by
     * window from the newest and the first window holding the key answers (usually the newest: one
     * seek), rather than merging every window's iterator. The runs iterator is made before the
     * chunks are looked for, as in {@link #newSegmentIterator}: a seal landing in between leaves it
     * the runs it had.
     */
    public byte[][] lastRowAtOrBelow(int segment, byte[] key, long sequence)
            throws RocksDBException {
        byte[] escaped = KeyCodec.escapeTerminated(key);
        try (RocksIterator runs = db.newIterator(entries)) {
            int windows = chunkWindows(segment);
            if (windows == 0) {
                runs.seekForPrev(KeyCodec.entryKey(segment, key, sequence));
                if (runs.isValid()
                        && KeyCodec.entrySegment(runs.key()) == segment
                        && KeyCodec.entryHasKey(runs.key(), escaped)) {
                    return new byte[][] {runs.key(), runs.value()};
                }
                runs.status();
                return null;
            }
            try (RocksIterator chunks = db.newIterator(sealed)) {
                for (int w = windows - 1; w >= 0; w--) {
                    chunks.seekForPrev(KeyCodec.chunkKey(segment, w, key, sequence));
                    if (chunks.isValid()) {
                        byte[] k = chunks.key();
                        byte[] asEntry = KeyCodec.entryKeyOfChunk(k);
                        if (KeyCodec.chunkSegment(k) == segment
                                && KeyCodec.chunkWindow(k) == w
                                && KeyCodec.entryHasKey(asEntry, escaped)) {
                            return new byte[][] {asEntry, chunks.value()};
                        }
                    }
                    chunks.status();
                }
                return null;
            }
        }
    }

    /** How many windows of chunks the segment has in the {@code sealed} family (0: none yet). */
    public int chunkWindows(int segment) throws RocksDBException {
        if (sealed == null) {
            return 0;
        }
        try (RocksIterator chunks = db.newIterator(sealed)) {
            // The segment's last chunk: every key of the segment sorts below the next one's id.
            chunks.seekForPrev(KeyCodec.segmentStart(segment + 1));
            if (chunks.isValid()) {
                byte[] k = chunks.key();
                return KeyCodec.chunkSegment(k) == segment ? KeyCodec.chunkWindow(k) + 1 : 0;
            }
            chunks.status();
            return 0;
        }
    }

    /**
     * A secondary instance catches up with the writer: reads the writer's MANIFEST, then its WAL. A
     * seal that ingests a segment's chunks (a MANIFEST change) and deletes its runs (a WAL record)
     * between those two reads would leave this instance seeing neither; so after catching up, every
     * sealed segment whose seal may be under way is checked, and the instance catches up again
     * until each has its runs or its chunks and the oldest segment shows its first group (see
     * {@link #oldestGroupVisible}).
     */
    public void catchUp() {
        try {
            db.tryCatchUpWithPrimary();
        } catch (RocksDBException e) {
            throw translate("catch up with the writer", directory, e);
        }
        awaitConsistentSeals();
    }

    /** See {@link #catchUp()}: catches up again while a seal is seen half done. */
    public void awaitConsistentSeals() {
        try {
            awaitConsistentSealsOrThrow();
        } catch (RocksDBException e) {
            throw translate("catch up with the writer", directory, e);
        }
    }

    private void awaitConsistentSealsOrThrow() throws RocksDBException {
        for (int attempt = 0; !sealsConsistent(); attempt++) {
            if (attempt == 100) {
                throw new LogStorageException(
                        "a reader of "
                                + directory
                                + " keeps seeing a segment without its data (neither runs nor"
                                + " chunks, or the oldest segment's first group missing)",
                        null);
            }
            try {
                // 1 ms at first; a MANIFEST edit the instance had to postpone (its files already
                // compacted away) may take the writer's next flush to come right: up to ~5 s.
                Thread.sleep(Math.min(50, 1 + attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LogStorageException("interrupted while catching up with the writer", e);
            }
            db.tryCatchUpWithPrimary();
        }
    }

    private int lastChunkedSeen = -1;

    private boolean sealsConsistent() throws RocksDBException {
        if (sealed == null) {
            return true;
        }
        List<SegmentState> segs = readSegments();
        for (int i = 0; i + 1 < segs.size(); i++) {
            int id = segs.get(i).segment().id();
            if (id <= lastChunkedSeen) {
                continue;
            }
            if (isChunked(id)) {
                lastChunkedSeen = id;
            } else if (!hasRuns(id)) {
                return false;
            }
        }
        return oldestGroupVisible(segs);
    }

    /**
     * The oldest segment, if it holds entries and is not chunks, shows its first group: the first
     * write-index record at its start and that record's first run. Retention deletes the oldest
     * segments' records (WAL) and then their files (MANIFEST), and a secondary that had to postpone
     * a MANIFEST edit (its files compacted away meanwhile) can lose a flush whose WAL is already
     * gone: either way the oldest segment would show missing data, so the catch-up is repeated
     * until it does not. (A segment with no runs fails the same check.)
     */
    private boolean oldestGroupVisible(List<SegmentState> segs) throws RocksDBException {
        if (segs.isEmpty()) {
            return true;
        }
        Segment oldest = segs.get(0).segment();
        if (readNextSequence() <= oldest.startSequence() || isChunked(oldest.id())) {
            return true;
        }
        try (RocksIterator it = db.newIterator(writeIndex)) {
            it.seek(Bytes.ofLong(oldest.startSequence()));
            if (!it.isValid()) {
                it.status();
                return false;
            }
            WriteIndexRecord r = WriteIndexRecord.decode(it.key(), it.value());
            if (r.firstSequence() != oldest.startSequence()) {
                return false;
            }
            byte[] firstKey = r.keys().get(r.keyOfRecord()[0]);
            return db.get(entries, KeyCodec.entryKey(oldest.id(), firstKey, r.firstSequence()))
                    != null;
        }
    }

    /** True if the segment still has runs in the {@code entries} family. */
    public boolean hasRuns(int segment) throws RocksDBException {
        try (RocksIterator it = db.newIterator(entries)) {
            it.seek(KeyCodec.segmentStart(segment));
            if (it.isValid()) {
                return KeyCodec.entrySegment(it.key()) == segment;
            }
            it.status();
            return false;
        }
    }

    /** True once the segment's chunks are in the {@code sealed} family. */
    public boolean isChunked(int segment) throws RocksDBException {
        return chunkWindows(segment) > 0;
    }

    /** The marker last written with an append, if any. */
    public java.util.Optional<io.lsmlog.Marker> marker(String id) {
        try {
            byte[] v = db.get(meta, MetaCodec.markerKey(id));
            return v == null
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(MetaCodec.marker(id, v));
        } catch (RocksDBException e) {
            throw translate("read marker " + id, directory, e);
        }
    }

    /** Flushes the memtables, so the checkpoint that follows has little left to flush. */
    public void flushBeforeCheckpoint(Path target) {
        try {
            flushMemtables();
        } catch (RocksDBException e) {
            throw translate("flush before a checkpoint to " + target, directory, e);
        }
    }

    /** Writes a RocksDB checkpoint (hard links where it can) to {@code target}. */
    public void checkpoint(Path target) {
        try (org.rocksdb.Checkpoint cp = org.rocksdb.Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw translate("write a checkpoint to " + target, directory, e);
        }
    }

    /** Bytes RocksDB wrote (WAL, flushes, compactions), or null without statistics. */
    public io.lsmlog.DiskWrites diskWrites(long sealBytes) {
        if (statistics == null) {
            return null;
        }
        return new io.lsmlog.DiskWrites(
                statistics.getTickerCount(org.rocksdb.TickerType.WAL_FILE_BYTES),
                statistics.getTickerCount(org.rocksdb.TickerType.FLUSH_WRITE_BYTES),
                statistics.getTickerCount(org.rocksdb.TickerType.COMPACT_WRITE_BYTES),
                sealBytes);
    }

    /** True if the directory holds a RocksDB database (its CURRENT file). */
    public static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve("CURRENT"));
    }

    public static Store open(LogConfig config, Mode mode, Path secondaryDir) {
        Path dir = config.directory();
        if (mode != Mode.WRITER && !exists(dir)) {
            throw new LogNotFoundException(dir);
        }
        if (mode == Mode.WRITER && !exists(dir) && Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new io.lsmlog.InvalidArgumentException(
                            "directory "
                                    + dir
                                    + " is not empty and holds no log: refusing to create a log"
                                    + " among other files");
                }
            } catch (IOException e) {
                throw new LogStorageException("cannot list " + dir, e);
            }
        }
        if (mode == Mode.WRITER && exists(dir)) {
            refuseForeignDatabase(dir);
        }
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            if (mode == Mode.WRITER) {
                Files.createDirectories(dir);
            }
            Cache cache =
                    track(resources, new LRUCache(Math.max(1 << 20, config.blockCacheBytes())));
            ColumnFamilyOptions metaOpts =
                    track(resources, new ColumnFamilyOptions())
                            .setWriteBufferSize(1 << 20)
                            .setTableFormatConfig(
                                    new BlockBasedTableConfig()
                                            .setFormatVersion(SST_FORMAT_VERSION));
            ColumnFamilyOptions entryOpts =
                    track(resources, new ColumnFamilyOptions())
                            .setWriteBufferSize(config.writeBufferBytes())
                            .setCompressionType(CompressionType.LZ4_COMPRESSION)
                            .setTableFormatConfig(
                                    new BlockBasedTableConfig()
                                            .setFormatVersion(SST_FORMAT_VERSION)
                                            .setBlockCache(cache)
                                            .setBlockSize(16 << 10)
                                            .setFilterPolicy(
                                                    track(resources, new BloomFilter(10))));
            // The index families are small next to the entries: a quarter, 1..16 MiB.
            long indexBuffer = Math.max(1 << 20, Math.min(16 << 20, config.writeBufferBytes() / 4));
            ColumnFamilyOptions keyIdxOpts =
                    track(resources, new ColumnFamilyOptions())
                            .setWriteBufferSize(indexBuffer)
                            .setMergeOperator(track(resources, new UInt64AddOperator()))
                            .setTableFormatConfig(
                                    new BlockBasedTableConfig()
                                            .setFormatVersion(SST_FORMAT_VERSION)
                                            .setBlockCache(cache));
            ColumnFamilyOptions writeIdxOpts =
                    track(resources, new ColumnFamilyOptions())
                            .setWriteBufferSize(indexBuffer)
                            .setCompressionType(CompressionType.LZ4_COMPRESSION)
                            .setTableFormatConfig(
                                    new BlockBasedTableConfig()
                                            .setFormatVersion(SST_FORMAT_VERSION)
                                            .setBlockCache(cache));
            ColumnFamilyOptions sealedOpts =
                    track(resources, new ColumnFamilyOptions())
                            .setWriteBufferSize(1 << 20)
                            .setCompressionType(CompressionType.LZ4_COMPRESSION)
                            .setTableFormatConfig(sealedTableConfig(cache));
            List<ColumnFamilyDescriptor> cfs =
                    List.of(
                            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, metaOpts),
                            new ColumnFamilyDescriptor(bytes(ENTRIES), entryOpts),
                            new ColumnFamilyDescriptor(bytes(KEY_INDEX), keyIdxOpts),
                            new ColumnFamilyDescriptor(bytes(WRITE_INDEX), writeIdxOpts),
                            new ColumnFamilyDescriptor(bytes(SEALED), sealedOpts));
            DBOptions dbOpts =
                    track(resources, new DBOptions())
                            .setCreateIfMissing(mode == Mode.WRITER)
                            .setCreateMissingColumnFamilies(mode == Mode.WRITER)
                            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                            .setKeepLogFileNum(3)
                            // The small index families would otherwise pin old WAL files
                            // (a WAL goes only when every family in it has flushed).
                            .setMaxTotalWalSize(4 * config.writeBufferBytes())
                            .setMaxBackgroundJobs(2);
            Statistics stats = null;
            if (config.statistics()) {
                stats = track(resources, new Statistics());
                dbOpts.setStatistics(stats);
            }
            if (mode == Mode.SECONDARY && !familyNames(dir).contains(SEALED)) {
                // A log of the first format, not yet opened by a writer of this one: no chunks.
                cfs = cfs.subList(0, cfs.size() - 1);
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db =
                    switch (mode) {
                        case WRITER -> RocksDB.open(dbOpts, dir.toString(), cfs, handles);
                        case SECONDARY -> {
                            TableFileCheck.verify(
                                    dir,
                                    cfs.stream().map(ColumnFamilyDescriptor::getName).toList(),
                                    secondaryDir);
                            dbOpts.setMaxOpenFiles(-1);
                            yield RocksDB.openAsSecondary(
                                    dbOpts, dir.toString(), secondaryDir.toString(), cfs, handles);
                        }
                    };
            // Handles and the db are closed before the options they were opened with.
            List<AutoCloseable> ordered = new ArrayList<>(handles);
            ordered.add(db);
            ordered.addAll(resources);
            Store store = new Store(dir, db, handles, stats, ordered, cache);
            try {
                store.checkFormat(mode);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (RocksDBException e) {
            closeAll(resources);
            throw translate("open log in " + dir, dir, e);
        } catch (IOException e) {
            closeAll(resources);
            throw new LogStorageException("cannot create log directory " + dir, e);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private void checkFormat(Mode mode) throws RocksDBException {
        byte[] format = db.get(meta, MetaCodec.FORMAT_KEY);
        if (format == null) {
            if (mode != Mode.WRITER) {
                throw new LogNotFoundException(directory);
            }
            writeFormat(0);
            return;
        }
        int version = format.length == 4 ? Bytes.getInt(format, 0) : -1;
        if (version < MetaCodec.OLDEST_READABLE_FORMAT || version > MetaCodec.FORMAT_VERSION) {
            throw new LogCorruptedException(
                    "log in "
                            + directory
                            + " has format version "
                            + version
                            + "; this build reads versions "
                            + MetaCodec.OLDEST_READABLE_FORMAT
                            + " to "
                            + MetaCodec.FORMAT_VERSION);
        }
        if (version < MetaCodec.FORMAT_VERSION && mode == Mode.WRITER) {
            // Old rows stay as they are and stay readable; new ones are runs and chunks, which an
            // older build cannot read, so the log says so before the first one is written. The
            // segments sealed in the old format stay as they are; from the open one on, segments
            // are rewritten into chunks when they seal.
            List<SegmentState> segs = readSegments();
            int firstSealable = segs.isEmpty() ? 0 : segs.get(segs.size() - 1).segment().id();
            writeFormat(firstSealable);
        }
    }

    /** Stamps the log with this build's format and the first segment it seals into chunks. */
    private void writeFormat(int firstSealable) throws RocksDBException {
        try (org.rocksdb.WriteBatch b = new org.rocksdb.WriteBatch();
                org.rocksdb.WriteOptions wo = new org.rocksdb.WriteOptions()) {
            b.put(meta, MetaCodec.FORMAT_KEY, Bytes.ofInt(MetaCodec.FORMAT_VERSION));
            b.put(meta, MetaCodec.FIRST_SEALABLE_KEY, Bytes.ofInt(firstSealable));
            db.write(wo, b);
        }
    }

    /**
     * The oldest segment that is rewritten into chunks when sealed (older ones keep their rows).
     */
    public int firstSealableSegment() {
        try {
            byte[] v = db.get(meta, MetaCodec.FIRST_SEALABLE_KEY);
            return v == null || v.length != 4 ? 0 : Bytes.getInt(v, 0);
        } catch (RocksDBException e) {
            throw translate("read the format record", directory, e);
        }
    }

    /** The persisted frontier (0 for an empty log). */
    public long readNextSequence() {
        try {
            byte[] v = db.get(meta, MetaCodec.NEXT_SEQUENCE_KEY);
            return v == null ? 0 : MetaCodec.decodeLong(v, "next-sequence");
        } catch (RocksDBException e) {
            throw translate("read the frontier", directory, e);
        }
    }

    /** The persisted segment table, oldest first, with each segment's appended bytes. */
    public List<SegmentState> readSegments() {
        List<SegmentState> out = new ArrayList<>();
        scanMeta(
                MetaCodec.SEGMENT_TAG,
                MetaCodec::isSegmentKey,
                (k, v) ->
                        out.add(
                                new SegmentState(
                                        MetaCodec.segment(k, v), MetaCodec.segmentBytes(v))),
                "read the segment table");
        return out;
    }

    /** The stored reader groups ({@link GroupRows}): name → row value, in name order. */
    public java.util.SortedMap<String, byte[]> readGroupRows() {
        java.util.SortedMap<String, byte[]> out = new java.util.TreeMap<>();
        scanMeta(
                GroupRows.TAG,
                GroupRows::isGroupKey,
                (k, v) -> out.put(GroupRows.name(k), v),
                "read the reader groups");
        return out;
    }

    /** The metadata rows from the first at {@code tag} while {@code belongs} holds, in order. */
    private void scanMeta(
            byte tag,
            java.util.function.Predicate<byte[]> belongs,
            java.util.function.BiConsumer<byte[], byte[]> row,
            String what) {
        try (ReadOptions ro = new ReadOptions();
                RocksIterator it = db.newIterator(meta, ro)) {
            for (it.seek(new byte[] {tag}); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!belongs.test(k)) {
                    break;
                }
                row.accept(k, it.value());
            }
            it.status();
        } catch (RocksDBException e) {
            throw translate(what, directory, e);
        }
    }

    /** A segment and the key+value bytes appended to it. */
    public record SegmentState(Segment segment, long bytes) {}

    /** Total size of the files in the log directory (files deleted meanwhile count 0). */
    public long diskBytes() {
        return sizeOf(directory);
    }

    private static long sizeOf(Path dir) {
        long total = 0;
        try (java.nio.file.DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                try {
                    java.nio.file.attribute.BasicFileAttributes a =
                            Files.readAttributes(
                                    p, java.nio.file.attribute.BasicFileAttributes.class);
                    total += a.isDirectory() ? sizeOf(p) : a.size();
                } catch (IOException e) {
                    // deleted while we listed (compaction, WAL recycling)
                }
            }
        } catch (IOException e) {
            throw new LogStorageException("cannot measure " + dir, e);
        }
        return total;
    }

    public static LogException translate(String action, Path dir, RocksDBException e) {
        Status status = e.getStatus();
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (msg.contains("lock") && (msg.contains("LOCK") || msg.contains("lock hold"))) {
            return new LogLockedException(dir, msg, e);
        }
        if (status != null && status.getCode() == Status.Code.Corruption) {
            return new LogCorruptedException("cannot " + action + ": " + msg, e);
        }
        if (msg.contains("No space left on device")
                || (status != null && status.getSubCode() == Status.SubCode.NoSpace)) {
            return new io.lsmlog.LogDiskFullException(
                    "cannot "
                            + action
                            + " in "
                            + dir
                            + ": the disk is full ("
                            + msg
                            + "); nothing of this call was written and earlier acknowledged"
                            + " appends are safe. Free space: the log resumes by itself within"
                            + " seconds; if it does not, close and reopen it",
                    e);
        }
        if (msg.contains("previous error")) {
            // RocksDB stopped writing after a background error it could not retry.
            return new LogStorageException(
                    "cannot "
                            + action
                            + " in "
                            + dir
                            + ": the log stopped writing after an earlier storage error ("
                            + msg
                            + "); earlier acknowledged appends are safe. Fix the cause (see the"
                            + " log's earlier errors), then close and reopen the log",
                    e);
        }
        return new LogStorageException("cannot " + action + ": " + msg, e);
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> list, T resource) {
        list.add(resource);
        return resource;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // closing native handles does not fail in practice; keep closing the rest
            }
        }
    }

    @Override
    public void close() {
        closeAll(resources);
    }
}
