package io.lsmlog;

import io.lsmlog.read.FrontierWaiters;
import io.lsmlog.read.Guard;
import io.lsmlog.read.Reads;
import io.lsmlog.read.View;
import io.lsmlog.storage.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only view of a log that a writer — in this process, another process, or another host
 * sharing the directory — is appending to. It opens RocksDB as a secondary instance, so it never
 * takes the writer's lock or disturbs it, and catches up with the writer every {@code
 * readerRefreshInterval} and on {@link #refresh()}. In the writer's own process it also catches up
 * right after each append, so waiters wake without waiting for the interval.
 *
 * <p>Works on a log nobody writes (a checkpoint) as well.
 */
public final class LogReader extends LogReadDelegate {
    private static final Logger LOG = LoggerFactory.getLogger(LogReader.class);

    private final LogConfig config;
    private final Path secondaryDir;
    private final Store store;
    private final Guard guard;
    private final FrontierWaiters waiters;
    private final Reads reads;
    private final ScheduledExecutorService refresher;
    private final Runnable unsubscribe;
    private final java.util.concurrent.atomic.AtomicBoolean wakeUpPending =
            new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    Reads reads() {
        return reads;
    }

    @Override
    FrontierWaiters waiters() {
        return waiters;
    }

    private volatile View view;

    private LogReader(LogConfig config, Path secondaryDir, Store store) {
        this.config = config;
        this.secondaryDir = secondaryDir;
        this.store = store;
        this.guard = new Guard("log reader of " + config.directory());
        store.awaitConsistentSeals(); // the open itself caught up once
        this.view = readView();
        this.waiters =
                new FrontierWaiters("log reader of " + config.directory(), view.nextSequence());
        this.reads = new Reads(store, guard, () -> view);
        this.refresher =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t =
                                    new Thread(
                                            r, "lsmlog-reader-" + config.directory().getFileName());
                            t.setDaemon(true);
                            return t;
                        });
        long every = config.readerRefreshInterval().toMillis();
        refresher.scheduleWithFixedDelay(
                this::backgroundRefresh, every, every, TimeUnit.MILLISECONDS);
        this.unsubscribe = Log.subscribe(config.directory(), this::wakeUp);
    }

    /**
     * Opens a read-only view of the log in {@code config.directory()}.
     *
     * @throws LogNotFoundException if the directory holds no log
     * @throws LogCorruptedException if it holds a damaged one
     */
    public static LogReader open(LogConfig config) {
        Path secondary;
        try {
            secondary = Files.createTempDirectory("lsmlog-reader-");
        } catch (IOException e) {
            throw new LogStorageException("cannot create a working directory for the reader", e);
        }
        try {
            Store store = Store.open(config, Store.Mode.SECONDARY, secondary);
            try {
                return new LogReader(config, secondary, store);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        } catch (RuntimeException e) {
            deleteRecursively(secondary);
            throw e;
        }
    }

    public LogConfig config() {
        return config;
    }

    private View readView() {
        long next = store.readNextSequence();
        List<Segment> segs = new ArrayList<>();
        for (Store.SegmentState s : store.readSegments()) {
            segs.add(s.segment());
        }
        return new View(next, segs);
    }

    /**
     * Catches up with the writer now; returns the new frontier. Waiters whose sequence it passes
     * are woken.
     */
    @Override
    public long refresh() {
        // No read runs while the instance catches up: a read never sees a seal half applied
        // (see Store.catchUp), and each read's view matches the data it reads.
        View[] caught = new View[1];
        guard.exclusive(
                () -> {
                    store.catchUp();
                    caught[0] = readView();
                    view = caught[0];
                });
        View v = caught[0];
        waiters.advance(v.nextSequence());
        return v.nextSequence();
    }

    private void backgroundRefresh() {
        try {
            refresh();
        } catch (LogClosedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("log reader of {} failed to catch up; will retry", config.directory(), e);
        }
    }

    /** Called by a writer in this process after each append; coalesces into one catch-up. */
    private void wakeUp() {
        if (!guard.isClosed() && wakeUpPending.compareAndSet(false, true)) {
            try {
                refresher.execute(
                        () -> {
                            wakeUpPending.set(false);
                            backgroundRefresh();
                        });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        if (guard.isClosed()) {
            return;
        }
        unsubscribe.run();
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiters.close();
        guard.close(store::close);
        deleteRecursively(secondaryDir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}", dir, e);
        }
    }
}
