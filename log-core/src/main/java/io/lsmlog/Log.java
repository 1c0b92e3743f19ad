package io.lsmlog;

import io.lsmlog.read.FrontierWaiters;
import io.lsmlog.read.Guard;
import io.lsmlog.read.Reads;
import io.lsmlog.read.View;
import io.lsmlog.storage.Store;
import io.lsmlog.write.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The single writer of a log directory, also readable. Thread-safe: any number of threads may
 * append and read concurrently. Appends are applied in the order they are queued; each is atomic.
 */
public final class Log implements LogRead {
    /** Directories open for writing in this JVM, for a clear error before RocksDB's lock. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final LogConfig config;
    private final Store store;
    private final Guard guard;
    private final FrontierWaiters waiters;
    private final Writer writer;
    private final Reads reads;
    private volatile View view = View.EMPTY;

    private Log(LogConfig config, Store store, Clock clock) {
        this.config = config;
        this.store = store;
        this.guard = new Guard("log " + config.directory());
        this.waiters = new FrontierWaiters("log " + config.directory(), store.readNextSequence());
        this.writer = new Writer(store, config, clock, v -> this.view = v, waiters);
        this.reads = new Reads(store, guard, () -> view);
    }

    /** Opens (creating if missing) the log in {@code config.directory()} for writing. */
    public static Log open(LogConfig config) {
        return open(config, Clock.systemUTC());
    }

    /** Like {@link #open(LogConfig)} with a clock for append times (tests). */
    public static Log open(LogConfig config, Clock clock) {
        Path dir = config.directory();
        if (!OPEN.add(dir)) {
            throw new LogLockedException(dir, "already open for writing in this process", null);
        }
        try {
            Store store = Store.open(config, Store.Mode.WRITER, null);
            try {
                return new Log(config, store, clock);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        } catch (RuntimeException e) {
            OPEN.remove(dir);
            throw e;
        }
    }

    public LogConfig config() {
        return config;
    }

    /** Appends the records atomically and waits until they are written (and synced if so set). */
    public AppendResult append(List<Record> records) {
        return join(appendAsync(records));
    }

    /**
     * Queues the records for appending; blocks only while the write queue is full. The future
     * completes, on the writer thread, once the append is written.
     */
    public CompletableFuture<AppendResult> appendAsync(List<Record> records) {
        guard.checkOpen();
        return writer.append(records, List.of());
    }

    /** Internal: appends together with metadata records, atomically (used by commit markers). */
    public CompletableFuture<AppendResult> appendWithMeta(
            List<Record> records, List<Writer.Put> meta) {
        guard.checkOpen();
        return writer.append(records, meta);
    }

    /** Waits for every append queued before it and makes them durable (fsyncs the WAL). */
    public void flush() {
        guard.checkOpen();
        join(
                writer.submit(
                        w -> {
                            w.syncWal();
                            return null;
                        }));
    }

    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted while waiting for the writer", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof LogException le) {
                throw le;
            }
            throw new LogException("write failed: " + c, c);
        }
    }

    @Override
    public LogIterator scan(byte[] key, SeqRange range) {
        return reads.scan(key, range);
    }

    @Override
    public LogIterator scan(KeyRange keys, SeqRange range) {
        return reads.scan(keys, range);
    }

    @Override
    public LogIterator scanBySequence(KeyRange keys, SeqRange range) {
        return reads.scanBySequence(keys, range);
    }

    @Override
    public List<Segment> segments() {
        return reads.view().segments();
    }

    @Override
    public KeyIterator keys(KeyRange range) {
        return reads.keys(range);
    }

    @Override
    public KeyIterator keys(List<Segment> segments, KeyRange range) {
        return reads.keys(segments, range);
    }

    @Override
    public long count(byte[] key, SeqRange range) {
        return reads.count(key, range);
    }

    @Override
    public long count(KeyRange keys, SeqRange range) {
        return reads.count(keys, range);
    }

    @Override
    public long nextSequence() {
        return reads.view().nextSequence();
    }

    @Override
    public CompletableFuture<Long> awaitSequence(long sequence) {
        return waiters.await(sequence);
    }

    @Override
    public boolean awaitSequence(long sequence, Duration timeout) throws InterruptedException {
        return waiters.await(sequence, timeout);
    }

    @Override
    public long sequenceAt(long timestamp) {
        return reads.sequenceAt(timestamp);
    }

    @Override
    public long diskBytes() {
        return reads.diskBytes();
    }

    /**
     * Finishes queued appends, then closes. Open iterators stop with {@link LogClosedException}.
     */
    @Override
    public void close() {
        if (guard.isClosed()) {
            return;
        }
        writer.close();
        waiters.close();
        guard.close(store::close);
        OPEN.remove(config.directory());
    }
}
