package io.lsmlog.write;

import io.lsmlog.AppendResult;
import io.lsmlog.InvalidArgumentException;
import io.lsmlog.Limits;
import io.lsmlog.LogClosedException;
import io.lsmlog.LogConfig;
import io.lsmlog.LogException;
import io.lsmlog.Printable;
import io.lsmlog.Record;
import io.lsmlog.Segment;
import io.lsmlog.read.FrontierWaiters;
import io.lsmlog.read.View;
import io.lsmlog.storage.Bytes;
import io.lsmlog.storage.EntryValueCodec;
import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.MetaCodec;
import io.lsmlog.storage.Store;
import io.lsmlog.storage.WriteIndexRecord;
import java.nio.file.Path;
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

    /** Work for the writer thread. */
    private sealed interface Task permits AppendTask, ActionTask, StopTask {}

    private record AppendTask(
            List<Record> records,
            long bytes,
            List<Put> extraMeta,
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
        this.thread = new Thread(this::run, "lsmlog-writer-" + store.directory.getFileName());
        thread.setDaemon(true);
        thread.start();
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

    /** Waits for a writer future, rethrowing its {@link LogException}. */
    public static <T> T await(CompletableFuture<T> f) {
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
                throw Store.translate("write", Path.of("?"), re);
            }
            throw new LogException("write failed: " + c, c);
        }
    }

    /** Validates an append and returns its key+value bytes. */
    public static long validate(List<Record> records) {
        if (records == null || records.isEmpty()) {
            throw new InvalidArgumentException("an append needs at least one record");
        }
        if (records.size() > Limits.MAX_BATCH_RECORDS) {
            throw new InvalidArgumentException(
                    "an append holds at most "
                            + Limits.MAX_BATCH_RECORDS
                            + " records, got "
                            + records.size());
        }
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            if (r == null) {
                throw new InvalidArgumentException("record " + i + " is null");
            }
            int k = r.key().length;
            if (k == 0 || k > Limits.MAX_KEY_BYTES) {
                throw new InvalidArgumentException(
                        "record "
                                + i
                                + ": key must be 1.."
                                + Limits.MAX_KEY_BYTES
                                + " bytes, got "
                                + k
                                + (k == 0 ? "" : " (key " + Printable.bytes(r.key()) + ")"));
            }
            if (r.value().length > Limits.MAX_VALUE_BYTES) {
                throw new InvalidArgumentException(
                        "record "
                                + i
                                + " (key "
                                + Printable.bytes(r.key())
                                + "): value must be at most "
                                + Limits.MAX_VALUE_BYTES
                                + " bytes, got "
                                + r.value().length);
            }
            if (r.hasTimestamp() && r.timestamp() < 0) {
                throw new InvalidArgumentException(
                        "record " + i + ": timestamp must be >= 0, got " + r.timestamp());
            }
            bytes += k + r.value().length;
        }
        if (bytes > Limits.MAX_BATCH_BYTES) {
            throw new InvalidArgumentException(
                    "an append holds at most "
                            + Limits.MAX_BATCH_BYTES
                            + " bytes of keys and values, got "
                            + bytes);
        }
        return bytes;
    }

    public CompletableFuture<AppendResult> append(List<Record> records, List<Put> extraMeta) {
        long bytes = validate(records);
        CompletableFuture<AppendResult> f = new CompletableFuture<>();
        enqueue(new AppendTask(List.copyOf(records), bytes, extraMeta, f), f);
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
        while (true) {
            Task first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                continue; // only close stops the writer
            }
            group.clear();
            group.add(first);
            long bytes = first instanceof AppendTask a ? a.bytes : 0;
            Task t;
            while (group.size() < MAX_GROUP_TASKS
                    && bytes < MAX_GROUP_BYTES
                    && group.get(group.size() - 1) instanceof AppendTask
                    && (t = queue.peek()) instanceof AppendTask a) {
                queue.poll();
                group.add(a);
                bytes += a.bytes;
            }
            if (first instanceof StopTask) {
                return;
            }
            if (first instanceof ActionTask action) {
                runAction(action);
            } else {
                commit(group);
            }
        }
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
        long time = lastAppendTime;
        long segBytes = currentSegmentBytes;
        List<Segment> segs = new ArrayList<>(segments);
        List<AppendResult> results = new ArrayList<>(group.size());
        try (WriteBatch batch = new WriteBatch()) {
            if (counts.stale()) {
                counts.recover(segs.isEmpty() ? -1 : segs.get(segs.size() - 1).id(), writeOptions);
            }
            for (Task t : group) {
                AppendTask a = (AppendTask) t;
                time = Math.max(time, clock.millis());
                if (segs.isEmpty() || rollDue(segs, segBytes, time)) {
                    int id = segs.isEmpty() ? 0 : segs.get(segs.size() - 1).id() + 1;
                    counts.roll(batch, id);
                    segs.add(new Segment(id, seq, time));
                    segBytes = 0;
                }
                Segment seg = segs.get(segs.size() - 1);
                long first = seq;
                List<byte[]> keys = new ArrayList<>(a.records.size());
                for (Record r : a.records) {
                    long ts = r.hasTimestamp() ? r.timestamp() : time;
                    batch.put(
                            store.entries,
                            KeyCodec.entryKey(seg.id(), r.key(), seq++),
                            EntryValueCodec.encode(ts, r.value()));
                    keys.add(r.key());
                }
                WriteIndexRecord.Keys distinct = WriteIndexRecord.Keys.of(keys);
                for (int k = 0; k < distinct.counts().length; k++) {
                    counts.add(batch, seg.id(), distinct.distinct().get(k), distinct.counts()[k]);
                }
                batch.put(
                        store.writeIndex,
                        Bytes.ofLong(first),
                        WriteIndexRecord.encode(seg.id(), time, distinct));
                segBytes += a.bytes;
                batch.put(
                        store.meta,
                        MetaCodec.segmentKey(seg.id()),
                        MetaCodec.segmentValue(seg, segBytes));
                for (Put p : a.extraMeta) {
                    batch.put(store.meta, p.key(), p.value());
                }
                results.add(new AppendResult(first, seq - 1, seg.id(), time));
            }
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
            segments.clear();
            segments.addAll(segs);
        }
        publish.accept(new View(seq, segments));
        waiters.advance(seq);
        for (int i = 0; i < group.size(); i++) {
            ((AppendTask) group.get(i)).result.complete(results.get(i));
        }
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

    /** Removes the oldest segments from the live set (retention) and publishes the new view. */
    public void dropOldest(int count) {
        segments.subList(0, count).clear();
        publish.accept(new View(nextSequence, segments));
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
