package io.lsmlog.write;

import io.lsmlog.AppendResult;
import io.lsmlog.LogClosedException;
import io.lsmlog.LogConfig;
import io.lsmlog.LogException;
import io.lsmlog.Record;
import io.lsmlog.Segment;
import io.lsmlog.read.FrontierWaiters;
import io.lsmlog.read.View;
import io.lsmlog.storage.Bytes;
import io.lsmlog.storage.MetaCodec;
import io.lsmlog.storage.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer thread of a log. Callers enqueue appends (a bounded queue: callers block when
 * it is full); the thread takes everything queued, assigns sequences, and commits it in one RocksDB
 * write (group commit). Each append's entries, its write-index record, its key-index counters, the
 * segment record and the frontier go into that write, so an append is visible whole or not at all,
 * and the frontier never has holes.
 */
public final class Writer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
    private static final int MAX_GROUP_TASKS = 4096;
    private static final long MAX_GROUP_BYTES = 64L << 20;

    /** A lingering group stops waiting when it holds this many key+value bytes. */
    private static final long LINGER_GROUP_BYTES = 4L << 20;

    /** Work for the writer thread. */
    private sealed interface Task permits AppendTask, ActionTask, StopTask {}

    /** An append; {@code pipelined} when its caller does not wait for it (it may linger). */
    private record AppendTask(
            List<Record> records,
            long bytes,
            List<Put> extraMeta,
            boolean pipelined,
            CompletableFuture<AppendResult> result)
            implements Task {}

    /** Runs on the writer thread, between group commits. */
    private record ActionTask(WriterAction action, CompletableFuture<Object> result)
            implements Task {}

    private record StopTask() implements Task {}

    /** A metadata record written atomically with an append (e.g. a commit marker). */
    public record Put(byte[] key, byte[] value) {}

    /** An action with exclusive access to the writer's state. */
    @FunctionalInterface
    public interface WriterAction {
        Object run(Writer writer) throws Exception;
    }

    private final Store store;
    private final LogConfig config;
    private final Clock clock;
    private final Consumer<View> publish;
    private final FrontierWaiters waiters;
    private final BlockingQueue<Task> queue;
    private final WriteOptions writeOptions;
    private final Thread thread;
    private final long lingerNanos;
    private final Sealer sealer;
    private volatile boolean closing;

    // Owned by the writer thread.
    private long nextSequence;
    private long lastAppendTime;
    private final List<Segment> segments = new ArrayList<>();
    private long currentSegmentBytes;
    private final OpenSegmentCounts counts;

    public Writer(
            Store store,
            LogConfig config,
            Clock clock,
            Consumer<View> publish,
            FrontierWaiters waiters) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.publish = publish;
        this.waiters = waiters;
        this.queue = new ArrayBlockingQueue<>(config.writeQueueCapacity());
        this.lingerNanos = config.appendLinger().toNanos();
        this.writeOptions = new WriteOptions().setSync(config.sync());
        this.counts = new OpenSegmentCounts(store);
        this.nextSequence = store.readNextSequence();
        List<Store.SegmentState> persisted = store.readSegments();
        for (Store.SegmentState s : persisted) {
            segments.add(s.segment());
        }
        if (!persisted.isEmpty()) {
            Store.SegmentState last = persisted.get(persisted.size() - 1);
            currentSegmentBytes = last.bytes();
            lastAppendTime = Math.max(last.segment().startTime(), lastIndexedAppendTime());
        }
        publish.accept(new View(nextSequence, segments));
        this.sealer = new Sealer(store, this);
        this.thread = new Thread(this::run, "lsmlog-writer-" + store.directory.getFileName());
        thread.setDaemon(true);
        thread.start();
        // Every sealed segment of this format: those a crash left half sealed are finished.
        int firstSealable = store.firstSealableSegment();
        for (int i = 0; i + 1 < segments.size(); i++) {
            if (segments.get(i).id() >= firstSealable) {
                sealer.seal(segments.get(i));
            }
        }
    }

    private long lastIndexedAppendTime() {
        try (RocksIterator it = store.db.newIterator(store.writeIndex)) {
            it.seekToLast();
            if (!it.isValid()) {
                return 0;
            }
            return io.lsmlog.storage.WriteIndexRecord.decode(it.key(), it.value()).appendTime();
        }
    }

    /** Waits for a future of this writer, rethrowing its {@link LogException}. */
    public <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted while waiting for the writer", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof LogException le) {
                throw le;
            }
            if (c instanceof RocksDBException re) {
                throw Store.translate("write", store.directory, re);
            }
            throw new LogException("write failed: " + c, c);
        }
    }

    /**
     * Queues an append. A {@code pipelined} one (its caller goes on without waiting) may wait up to
     * {@code appendLinger} for more appends to join its group.
     */
    public CompletableFuture<AppendResult> append(
            List<Record> records, List<Put> extraMeta, boolean pipelined) {
        long bytes = AppendValidation.validate(records);
        CompletableFuture<AppendResult> f = new CompletableFuture<>();
        enqueue(new AppendTask(List.copyOf(records), bytes, extraMeta, pipelined, f), f);
        return f;
    }

    /** Runs an action on the writer thread, after everything queued before it. */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> submit(WriterAction action) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        enqueue(new ActionTask(action, f), f);
        return (CompletableFuture<T>) (CompletableFuture<?>) f;
    }

    private void enqueue(Task task, CompletableFuture<?> f) {
        try {
            while (!queue.offer(task, 100, TimeUnit.MILLISECONDS)) {
                if (closing) {
                    throw closed();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted while waiting for room in the write queue", e);
        }
        // Close may have drained the queue between our check and our offer.
        if (closing && !thread.isAlive() && queue.remove(task)) {
            f.completeExceptionally(closed());
        }
    }

    private LogClosedException closed() {
        return new LogClosedException("log " + store.directory + " is closed");
    }

    private void run() {
        List<Task> group = new ArrayList<>();
        Task carried = null; // taken from the queue while lingering, to run next
        while (true) {
            Task first;
            if (carried != null) {
                first = carried;
                carried = null;
            } else {
                try {
                    first = queue.take();
                } catch (InterruptedException e) {
                    continue; // only close stops the writer
                }
            }
            if (first instanceof StopTask) {
                return;
            }
            if (first instanceof ActionTask action) {
                runAction(action);
                continue;
            }
            group.clear();
            group.add(first);
            long bytes = ((AppendTask) first).bytes;
            Task t;
            while (group.size() < MAX_GROUP_TASKS
                    && bytes < MAX_GROUP_BYTES
                    && (t = queue.peek()) instanceof AppendTask a) {
                queue.poll();
                group.add(a);
                bytes += a.bytes;
            }
            if (lingerNanos > 0 && allPipelined(group)) {
                carried = linger(group, bytes);
            }
            commit(group);
        }
    }

    private static boolean allPipelined(List<Task> group) {
        for (Task t : group) {
            if (!((AppendTask) t).pipelined) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits up to the linger for more appends to join the group, until it holds {@link
     * #LINGER_GROUP_BYTES}; an append whose caller waits ends the wait (it joins the group).
     * Returns a task that must run after the group (an action or the stop), or null.
     */
    private Task linger(List<Task> group, long bytes) {
        long deadline = System.nanoTime() + lingerNanos;
        while (group.size() < MAX_GROUP_TASKS && bytes < LINGER_GROUP_BYTES) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Task t;
            try {
                t = queue.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return null;
            }
            if (t == null) {
                return null;
            }
            if (!(t instanceof AppendTask a)) {
                return t;
            }
            group.add(a);
            bytes += a.bytes;
            if (!a.pipelined) {
                return null;
            }
        }
        return null;
    }

    private void runAction(ActionTask task) {
        try {
            task.result.complete(task.action.run(this));
        } catch (Throwable e) {
            task.result.completeExceptionally(e);
        }
    }

    private void commit(List<Task> group) {
        long seq = nextSequence;
        long time = Math.max(lastAppendTime, clock.millis());
        long segBytes = currentSegmentBytes;
        List<Segment> segs = new ArrayList<>(segments);
        List<AppendResult> results = new ArrayList<>(group.size());
        try (WriteBatch batch = new WriteBatch()) {
            if (counts.stale()) {
                counts.recover(segs.isEmpty() ? -1 : segs.get(segs.size() - 1).id(), writeOptions);
            }
            RunEncoder runs = null; // the group's entries of the open segment
            for (Task t : group) {
                AppendTask a = (AppendTask) t;
                if (segs.isEmpty() || rollDue(segs, segBytes, time)) {
                    if (runs != null) {
                        finishSegment(batch, runs, segs.get(segs.size() - 1), segBytes);
                    }
                    int id = segs.isEmpty() ? 0 : segs.get(segs.size() - 1).id() + 1;
                    counts.roll(batch, id);
                    segs.add(new Segment(id, seq, time));
                    segBytes = 0;
                    runs = null;
                }
                Segment seg = segs.get(segs.size() - 1);
                if (runs == null) {
                    runs = new RunEncoder(seg.id(), seq, time);
                }
                long first = seq;
                runs.add(a.records);
                seq = runs.nextSequence();
                segBytes += a.bytes;
                for (Put p : a.extraMeta) {
                    batch.put(store.meta, p.key(), p.value());
                }
                results.add(new AppendResult(first, seq - 1, seg.id(), time));
            }
            finishSegment(batch, runs, segs.get(segs.size() - 1), segBytes);
            batch.put(store.meta, MetaCodec.NEXT_SEQUENCE_KEY, Bytes.ofLong(seq));
            store.db.write(writeOptions, batch);
        } catch (RocksDBException | RuntimeException e) {
            counts.invalidate();
            LogException failure =
                    e instanceof LogException le
                            ? le
                            : e instanceof RocksDBException re
                                    ? Store.translate("append", store.directory, re)
                                    : new LogException("append failed: " + e, e);
            LOG.error("append to {} failed", store.directory, failure);
            for (Task t : group) {
                ((AppendTask) t).result.completeExceptionally(failure);
            }
            return;
        }
        nextSequence = seq;
        lastAppendTime = time;
        currentSegmentBytes = segBytes;
        if (segs.size() != segments.size()) {
            int before = segments.size();
            segments.clear();
            segments.addAll(segs);
            for (int i = Math.max(0, before - 1); i + 1 < segs.size(); i++) {
                sealer.seal(segs.get(i));
            }
        }
        publish.accept(new View(seq, segments));
        waiters.advance(seq);
        for (int i = 0; i < group.size(); i++) {
            ((AppendTask) group.get(i)).result.complete(results.get(i));
        }
    }

    /** Writes a segment's part of the group and the segment's record with its new size. */
    private void finishSegment(WriteBatch batch, RunEncoder runs, Segment seg, long segBytes)
            throws RocksDBException {
        runs.writeTo(batch, store, counts);
        batch.put(
                store.meta, MetaCodec.segmentKey(seg.id()), MetaCodec.segmentValue(seg, segBytes));
    }

    private boolean rollDue(List<Segment> segs, long segBytes, long now) {
        Segment cur = segs.get(segs.size() - 1);
        return segBytes >= config.segmentRollBytes()
                || (config.segmentRollInterval() != null
                        && now - cur.startTime() >= config.segmentRollInterval().toMillis());
    }

    // ---- state for actions running on the writer thread ----

    public Store store() {
        return store;
    }

    public List<Segment> segments() {
        return List.copyOf(segments);
    }

    public long nextSequence() {
        return nextSequence;
    }

    /** True if the segment is live (not dropped by retention). */
    public boolean isLive(int segmentId) {
        for (Segment s : segments) {
            if (s.id() == segmentId) {
                return true;
            }
        }
        return false;
    }

    /** Segments rewritten into chunks since the log opened (for tests and stats). */
    public long sealedCount() {
        return sealer.sealedCount();
    }

    /** Bytes of the files the sealer wrote since the log opened. */
    public long sealedBytes() {
        return sealer.sealedBytes();
    }

    /** True while segments wait for or are being sealed. */
    public boolean sealing() {
        return sealer.busy();
    }

    /** Removes the oldest segments from the live set (retention) and publishes the new view. */
    public void dropOldest(int count) {
        segments.subList(0, count).clear();
        publish.accept(new View(nextSequence, segments));
    }

    /**
     * Writes metadata rows alone (a null value deletes the row), atomically and as durably as an
     * append; run it as a {@link WriterAction} so it is ordered with the appends.
     */
    public void writeMeta(List<Put> rows) throws RocksDBException {
        try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch()) {
            for (Put p : rows) {
                if (p.value() == null) {
                    batch.delete(store.meta, p.key());
                } else {
                    batch.put(store.meta, p.key(), p.value());
                }
            }
            store.db.write(writeOptions, batch);
        }
    }

    /** Makes everything appended so far durable (fsyncs the write-ahead log). */
    public void syncWal() throws RocksDBException {
        store.db.flushWal(true);
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        sealer.close(); // it may wait for the writer thread, which still runs
        try {
            queue.put(new StopTask());
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Task> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (Task t : rest) {
            if (t instanceof AppendTask a) {
                a.result.completeExceptionally(closed());
            } else if (t instanceof ActionTask a) {
                a.result.completeExceptionally(closed());
            }
        }
        writeOptions.close();
    }
}
