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
 *   <li>{@code writeidx}: one record per append ({@link WriteIndexRecord}).
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

    public final RocksDB db;
    public final ColumnFamilyHandle meta;
    public final ColumnFamilyHandle entries;
    public final ColumnFamilyHandle keyIndex;
    public final ColumnFamilyHandle writeIndex;
    public final Statistics statistics;
    public final Path directory;
    private final List<AutoCloseable> resources;

    private Store(
            Path directory,
            RocksDB db,
            List<ColumnFamilyHandle> handles,
            Statistics statistics,
            List<AutoCloseable> resources) {
        this.directory = directory;
        this.db = db;
        this.meta = handles.get(0);
        this.entries = handles.get(1);
        this.keyIndex = handles.get(2);
        this.writeIndex = handles.get(3);
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
            return withMemtables
                    ? db.getApproximateSizes(
                            entries,
                            ranges,
                            org.rocksdb.SizeApproximationFlag.INCLUDE_FILES,
                            org.rocksdb.SizeApproximationFlag.INCLUDE_MEMTABLES)
                    : db.getApproximateSizes(
                            entries, ranges, org.rocksdb.SizeApproximationFlag.INCLUDE_FILES);
        } finally {
            slices.forEach(org.rocksdb.Slice::close);
        }
    }

    /** Flushes every memtable to files (and so lets old WAL files go). */
    public void flushMemtables() throws RocksDBException {
        try (org.rocksdb.FlushOptions fo = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, List.of(meta, entries, keyIndex, writeIndex));
        }
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
            long indexBuffer = Math.max(1 << 20, config.writeBufferBytes() / 4);
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
            List<ColumnFamilyDescriptor> cfs =
                    List.of(
                            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, metaOpts),
                            new ColumnFamilyDescriptor(bytes(ENTRIES), entryOpts),
                            new ColumnFamilyDescriptor(bytes(KEY_INDEX), keyIdxOpts),
                            new ColumnFamilyDescriptor(bytes(WRITE_INDEX), writeIdxOpts));
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
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db =
                    switch (mode) {
                        case WRITER -> RocksDB.open(dbOpts, dir.toString(), cfs, handles);
                        case SECONDARY -> {
                            dbOpts.setMaxOpenFiles(-1);
                            yield RocksDB.openAsSecondary(
                                    dbOpts, dir.toString(), secondaryDir.toString(), cfs, handles);
                        }
                    };
            // Handles and the db are closed before the options they were opened with.
            List<AutoCloseable> ordered = new ArrayList<>(handles);
            ordered.add(db);
            ordered.addAll(resources);
            Store store = new Store(dir, db, handles, stats, ordered);
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
            db.put(meta, MetaCodec.FORMAT_KEY, Bytes.ofInt(MetaCodec.FORMAT_VERSION));
            return;
        }
        int version = format.length == 4 ? Bytes.getInt(format, 0) : -1;
        if (version != MetaCodec.FORMAT_VERSION) {
            throw new LogCorruptedException(
                    "log in "
                            + directory
                            + " has format version "
                            + version
                            + "; this build reads version "
                            + MetaCodec.FORMAT_VERSION);
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
        try (ReadOptions ro = new ReadOptions();
                RocksIterator it = db.newIterator(meta, ro)) {
            for (it.seek(new byte[] {MetaCodec.SEGMENT_TAG}); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!MetaCodec.isSegmentKey(k)) {
                    break;
                }
                byte[] v = it.value();
                out.add(new SegmentState(MetaCodec.segment(k, v), MetaCodec.segmentBytes(v)));
            }
            it.status();
        } catch (RocksDBException e) {
            throw translate("read the segment table", directory, e);
        }
        return out;
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
