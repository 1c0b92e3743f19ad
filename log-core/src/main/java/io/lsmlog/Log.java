package io.lsmlog;

import io.lsmlog.group.GroupCoordinator;
import io.lsmlog.group.GroupStore;
import io.lsmlog.read.FrontierWaiters;
import io.lsmlog.read.Guard;
import io.lsmlog.read.Reads;
import io.lsmlog.read.View;
import io.lsmlog.retention.Retention;
import io.lsmlog.staging.FileStaging;
import io.lsmlog.storage.GroupRows;
import io.lsmlog.storage.MetaCodec;
import io.lsmlog.storage.Store;
import io.lsmlog.write.Writer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of a log directory, also readable. Thread-safe: any number of threads may
 * append and read concurrently. Appends are applied in the order they are queued; each is atomic.
 */
public final class Log extends LogReadDelegate implements LogWrite {
    private static final Logger LOG = LoggerFactory.getLogger(Log.class);

    /** Directories open for writing in this JVM, for a clear error before RocksDB's lock. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    /** In-process readers to wake after appends, by directory. */
    private static final Map<Path, Set<Runnable>> LISTENERS = new ConcurrentHashMap<>();

    private final LogConfig config;
    private final Store store;
    private final Guard guard;
    private final FrontierWaiters waiters;
    private final Writer writer;
    private final Reads reads;
    private final Retention retention;
    private final Staging staging;
    private final GroupCoordinator groups;
    private final ScheduledExecutorService retentionTimer;

    @Override
    Reads reads() {
        return reads;
    }

    @Override
    FrontierWaiters waiters() {
        return waiters;
    }

    private volatile View view = View.EMPTY;

    private final Path realDirectory;

    private Log(LogConfig config, Store store, Clock clock, Path realDirectory) {
        this.config = config;
        this.realDirectory = realDirectory;
        this.store = store;
        this.guard = new Guard("log " + config.directory());
        this.waiters = new FrontierWaiters("log " + config.directory(), store.readNextSequence());
        this.writer = new Writer(store, config, clock, this::published, waiters);
        this.reads = new Reads(store, guard, () -> view);
        this.retention = new Retention(writer, clock, config.readerRefreshInterval());
        this.staging = new FileStaging(config.directory(), this);
        this.groups =
                new GroupCoordinator(
                        this, ranges -> reads.estimateRanges(ranges), new MetaGroupStore(), clock);
        if (config.retentionEnabled()) {
            long every = config.retentionCheckInterval().toMillis();
            retentionTimer =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t =
                                        new Thread(
                                                r,
                                                "lsmlog-retention-"
                                                        + config.directory().getFileName());
                                t.setDaemon(true);
                                return t;
                            });
            retentionTimer.scheduleWithFixedDelay(
                    this::scheduledRetention, every, every, TimeUnit.MILLISECONDS);
        } else {
            retentionTimer = null;
        }
    }

    private void scheduledRetention() {
        try {
            applyRetention(config.retentionMaxAge(), config.retentionMaxBytes());
        } catch (LogClosedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("retention pass on {} failed; will retry", config.directory(), e);
        }
    }

    /** Opens (creating if missing) the log in {@code config.directory()} for writing. */
    public static Log open(LogConfig config) {
        return open(config, Clock.systemUTC());
    }

    /** Like {@link #open(LogConfig)} with a clock for append times (tests). */
    public static Log open(LogConfig config, Clock clock) {
        Path dir = config.directory();
        // RocksDB's LOCK does not exclude this process: the guard is the directory's real path,
        // so a second open through a symbolic link is refused too.
        Path real = realPath(dir);
        if (!OPEN.add(real)) {
            throw new LogLockedException(
                    dir,
                    "already open for writing in this process"
                            + (real.equals(dir) ? "" : " (as " + real + ")"),
                    null);
        }
        try {
            Store store = Store.open(config, Store.Mode.WRITER, null);
            try {
                return new Log(config, store, clock, real);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        } catch (RuntimeException e) {
            OPEN.remove(real);
            throw e;
        }
    }

    /** The directory with symbolic links resolved, as far as it exists. */
    private static Path realPath(Path dir) {
        Path existing = dir;
        Path rest = null;
        while (existing != null && !Files.exists(existing)) {
            rest = rest == null ? existing.getFileName() : existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return dir;
        }
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest);
        } catch (IOException e) {
            return dir;
        }
    }

    public LogConfig config() {
        return config;
    }

    /** Appends the records atomically and waits until they are written (and synced if so set). */
    @Override
    public AppendResult append(List<Record> records) {
        guard.checkOpen();
        return join(writer.append(records, List.of(), false));
    }

    /**
     * Queues the records for appending; blocks only while the write queue is full. The future
     * completes, on the writer thread, once the append is written.
     */
    @Override
    public CompletableFuture<AppendResult> appendAsync(List<Record> records) {
        guard.checkOpen();
        return writer.append(records, List.of(), true);
    }

    /**
     * Appends the records and sets the marker {@code markerId} to {@code marker}, atomically: after
     * a crash, {@link #marker(String)} says exactly which appends happened.
     */
    @Override
    public AppendResult appendWithMarker(List<Record> records, String markerId, Marker marker) {
        guard.checkOpen();
        Marker.validate(markerId, marker);
        byte[] value = MetaCodec.markerValue(marker);
        return join(
                writer.append(
                        records,
                        List.of(new Writer.Put(MetaCodec.markerKey(markerId), value)),
                        false));
    }

    /** The marker last written with {@link #appendWithMarker}, if any. */
    @Override
    public Staging staging() {
        guard.checkOpen();
        return staging;
    }

    @Override
    public Groups groups() {
        guard.checkOpen();
        return groups;
    }

    /** Groups in the metadata family, written through the writer so they order with appends. */
    private final class MetaGroupStore implements GroupStore {
        @Override
        public java.util.SortedMap<String, List<GroupRange>> load() {
            guard.enter();
            try {
                java.util.SortedMap<String, List<GroupRange>> out = new java.util.TreeMap<>();
                store.readGroupRows()
                        .forEach((name, v) -> out.put(name, GroupRows.decode(name, v)));
                return out;
            } finally {
                guard.exit();
            }
        }

        @Override
        public void write(String group, List<GroupRange> ranges) {
            guard.checkOpen();
            Writer.Put row =
                    new Writer.Put(
                            GroupRows.key(group), ranges == null ? null : GroupRows.encode(ranges));
            join(
                    writer.submit(
                            w -> {
                                w.writeMeta(List.of(row));
                                return null;
                            }));
        }

        @Override
        public AppendResult writeWith(String group, List<GroupRange> ranges, List<Record> records) {
            guard.checkOpen();
            return join(
                    writer.append(
                            records,
                            List.of(new Writer.Put(GroupRows.key(group), GroupRows.encode(ranges))),
                            false));
        }
    }

    @Override
    public Optional<Marker> marker(String markerId) {
        guard.enter();
        try {
            return store.marker(markerId);
        } finally {
            guard.exit();
        }
    }

    /**
     * Bytes RocksDB wrote to disk (WAL, flushes, compactions) since this log was opened.
     *
     * @throws InvalidArgumentException if the log was opened without {@code statistics(true)}
     */
    public DiskWrites diskWrites() {
        guard.enter();
        try {
            DiskWrites w = store.diskWrites(writer.sealedBytes());
            if (w == null) {
                throw new InvalidArgumentException(
                        "RocksDB statistics are off for "
                                + config.directory()
                                + ": open the log with LogConfig.builder(dir).statistics(true)");
            }
            return w;
        } finally {
            guard.exit();
        }
    }

    /**
     * Waits until every sealed segment has been rewritten into per-key chunks (which happens in the
     * background after a segment rolls); returns how many segments were sealed since the log
     * opened. Useful before benchmarks, checkpoints and tests; reads never need it.
     */
    public long awaitSealing(Duration timeout) {
        guard.checkOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // Asked on the writer thread: a roll just committed has handed its segment over.
            boolean busy = join(writer.submit(w -> w.sealing()));
            if (!busy) {
                return join(writer.submit(w -> w.sealedCount()));
            }
            if (System.nanoTime() > deadline) {
                throw new LogException(
                        "segments of " + config.directory() + " still sealing after " + timeout);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LogException("interrupted while waiting for sealing", e);
            }
        }
    }

    /** Waits for every append queued before it and makes them durable (fsyncs the WAL). */
    @Override
    public void flush() {
        guard.checkOpen();
        join(
                writer.submit(
                        w -> {
                            w.syncWal();
                            return null;
                        }));
    }

    private <T> T join(CompletableFuture<T> f) {
        return writer.await(f);
    }

    /**
     * Runs one retention pass now with the given bounds (null / 0: no bound of that kind), whatever
     * the configured ones; returns the segments it dropped.
     */
    @Override
    public RetentionResult applyRetention(Duration maxAge, long maxBytes) {
        guard.enter();
        try {
            return retention.apply(maxAge, maxBytes);
        } finally {
            guard.exit();
        }
    }

    /**
     * Writes a consistent point-in-time copy of the log to {@code target} (which must not exist):
     * SST files are hard-linked where the file system allows, so it is cheap. The copy is a
     * complete log: open it with {@link LogReader} to read it, or with {@link #cloneFrom} to fork
     * it.
     */
    public void checkpoint(Path target) {
        Path t = target.toAbsolutePath().normalize();
        if (Files.exists(t)) {
            throw new InvalidArgumentException("checkpoint target " + t + " already exists");
        }
        try {
            Files.createDirectories(t.getParent()); // RocksDB makes only the last directory
        } catch (java.io.IOException e) {
            throw new LogStorageException("cannot create the parent directory of " + t, e);
        }
        guard.enter();
        try {
            // A checkpoint takes the MANIFEST, then the WAL: a seal's ingest (MANIFEST) and its
            // delete of the runs (WAL) landing between the two would leave the copy with neither.
            // Seals do both in one writer action, so the checkpoint is one too; the memtables are
            // flushed before, so the writer pauses only for the small rest and the hard links.
            store.flushBeforeCheckpoint(t);
            join(
                    writer.submit(
                            w -> {
                                store.checkpoint(t);
                                return null;
                            }));
        } finally {
            guard.exit();
        }
    }

    /**
     * Opens a checkpoint as a new, independent, writable log in {@code config.directory()} (which
     * must not exist or be empty): immutable files are hard-linked, the rest copied. Appends to the
     * clone never show in the original or the checkpoint and vice versa; sequences continue above
     * the checkpoint's.
     */
    public static Log cloneFrom(Path checkpoint, LogConfig config) {
        Path src = checkpoint.toAbsolutePath().normalize();
        if (!Store.exists(src)) {
            throw new LogNotFoundException(src);
        }
        Path dst = config.directory();
        try {
            if (Files.exists(dst)) {
                try (Stream<Path> s = Files.list(dst)) {
                    if (s.findAny().isPresent()) {
                        throw new InvalidArgumentException("clone target " + dst + " is not empty");
                    }
                }
            }
            Files.createDirectories(dst);
            try (Stream<Path> files = Files.list(src)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = dst.resolve(f.getFileName());
                    if (f.getFileName().toString().endsWith(".sst")) {
                        try {
                            Files.createLink(to, f);
                            continue;
                        } catch (IOException | UnsupportedOperationException e) {
                            // another file system: fall back to a copy
                        }
                    }
                    Files.copy(f, to);
                }
            }
        } catch (IOException e) {
            throw new LogStorageException("cannot clone " + src + " to " + dst, e);
        }
        return open(config);
    }

    /** Called after every append of the writer of {@code directory} in this process. */
    static Runnable subscribe(Path directory, Runnable listener) {
        Set<Runnable> set =
                LISTENERS.computeIfAbsent(directory, d -> ConcurrentHashMap.newKeySet());
        set.add(listener);
        return () -> set.remove(listener);
    }

    private void published(View v) {
        this.view = v;
        Set<Runnable> listeners = LISTENERS.get(config.directory());
        if (listeners != null) {
            for (Runnable r : listeners) {
                r.run();
            }
        }
    }

    /**
     * Finishes queued appends, then closes. Open iterators stop with {@link LogClosedException}.
     */
    @Override
    public void close() {
        if (guard.isClosed()) {
            return;
        }
        if (retentionTimer != null) {
            retentionTimer.shutdownNow();
            try {
                retentionTimer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writer.close();
        waiters.close();
        guard.close(store::close);
        OPEN.remove(realDirectory);
    }
}
