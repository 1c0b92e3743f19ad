package io.lsmlog.flink.sink;

import io.lsmlog.AppendResult;
import io.lsmlog.LogWrite;
import io.lsmlog.Record;
import io.lsmlog.StageId;
import io.lsmlog.StageWriter;
import io.lsmlog.Staged;
import io.lsmlog.flink.internal.SharedLogs;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a subtask's elements. AT_LEAST_ONCE / NONE: batches appended asynchronously as they fill
 * (records, bytes) or age ({@code batchMaxDelay}); at every checkpoint AT_LEAST_ONCE waits until
 * everything is in the log. EXACTLY_ONCE: elements are staged in a file per checkpoint, fsynced at
 * pre-commit and handed to the committer, which appends them when the checkpoint completes.
 */
final class LsmLogWriter<T>
        implements StatefulSinkWriter<T, LsmLogWriterState>,
                CommittingSinkWriter<T, LsmLogCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(LsmLogWriter.class);

    private final LsmLogSinkConfig config;
    private final LsmLogRecordSerializer<T> serializer;
    private final SharedLogs.Lease<LogWrite> lease;
    private final LogWrite log;
    private final int subtask;
    private final ProcessingTimeService time;
    private final Counter recordsSend;
    private final Counter bytesSend;

    // at-least-once / none
    private List<Record> batch = new ArrayList<>();
    private long batchBytes;
    private long batchStartedAt = -1;
    private boolean timerArmed;
    private final ArrayDeque<CompletableFuture<AppendResult>> inFlight = new ArrayDeque<>();
    private volatile long pendingRecords;
    private volatile long lastBatchRecords;
    private volatile long lastAppendMillis;

    // exactly-once
    private long stagingCheckpointId;
    private long epochBase;
    private StageWriter staging;

    LsmLogWriter(
            LsmLogSinkConfig config,
            LsmLogRecordSerializer<T> serializer,
            WriterInitContext context,
            Collection<LsmLogWriterState> recovered)
            throws IOException {
        this.config = config;
        this.serializer = serializer;
        this.subtask = context.getTaskInfo().getIndexOfThisSubtask();
        this.time = context.getProcessingTimeService();
        SinkWriterMetricGroup metrics = context.metricGroup();
        // numRecordsSend/numBytesSend are the operator's numRecordsOut/numBytesOut: Flink does not
        // count what a sink writes, the writer does.
        this.recordsSend = metrics.getNumRecordsSendCounter();
        this.bytesSend = metrics.getNumBytesSendCounter();
        metrics.gauge("lsmlogPendingRecords", () -> pendingRecords);
        metrics.gauge("lsmlogLastBatchRecords", () -> lastBatchRecords);
        metrics.gauge("lsmlogLastAppendLatencyMs", () -> lastAppendMillis);
        try {
            serializer.open(context.asSerializationSchemaInitializationContext());
        } catch (Exception e) {
            throw new IOException("the record serializer failed to open", e);
        }
        this.lease = SharedLogs.writer(config.log());
        this.log = lease.get();
        long restored = context.getRestoredCheckpointId().orElse(0L);
        this.stagingCheckpointId = restored + 1;
        if (config.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
            Map<Integer, Long> owned = new HashMap<>(); // subtask -> its epoch base
            for (LsmLogWriterState s : recovered) {
                if (s.sinkId().equals(config.sinkId())
                        && (s.subtask() == subtask || s.subtask() >= parallelism)) {
                    // ours, or its subtask no longer exists: we clean up for it
                    owned.put(s.subtask(), s.epochBase());
                }
            }
            // Restored: the base in our state. Fresh (or a subtask new after a rescale): above
            // every epoch committed for this subtask, so that our checkpoint ids count on.
            epochBase =
                    owned.containsKey(subtask)
                            ? owned.get(subtask)
                            : log.marker(new StageId(config.sinkId(), subtask, 0).markerId())
                                    .map(m -> m.epoch())
                                    .orElse(0L);
            owned.putIfAbsent(subtask, epochBase);
            // Stages of a failed attempt (epoch above the restored one) will never commit;
            // stages of committed checkpoints the committer did not get to delete go too.
            for (Map.Entry<Integer, Long> e : owned.entrySet()) {
                log.staging()
                        .abortStale(config.sinkId(), Set.of(e.getKey()), e.getValue() + restored);
            }
        }
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        Record r = serializer.serialize(element, context.timestamp());
        if (r == null) {
            return; // the serializer writes nothing for this element
        }
        long size = r.key().length + r.value().length;
        recordsSend.inc();
        bytesSend.inc(size);
        if (config.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            if (staging == null) {
                staging =
                        log.staging()
                                .open(
                                        new StageId(
                                                config.sinkId(),
                                                subtask,
                                                epochBase + stagingCheckpointId));
            }
            staging.write(r);
            pendingRecords = staging.records();
            return;
        }
        batch.add(r);
        batchBytes += size;
        pendingRecords++;
        if (batch.size() >= config.batchMaxRecords() || batchBytes >= config.batchMaxBytes()) {
            sendBatch();
        } else if (batch.size() == 1) {
            batchStartedAt = time.getCurrentProcessingTime();
            armTimer();
        }
    }

    private void armTimer() {
        if (!timerArmed) {
            timerArmed = true;
            time.registerTimer(
                    time.getCurrentProcessingTime() + config.batchMaxDelay().toMillis(),
                    t -> {
                        timerArmed = false;
                        if (batch.isEmpty()) {
                            return;
                        }
                        if (t - batchStartedAt >= config.batchMaxDelay().toMillis()) {
                            sendBatch();
                        } else {
                            armTimer();
                        }
                    });
        }
    }

    /** Appends the current batch asynchronously, keeping at most maxInFlightBatches in flight. */
    private void sendBatch() throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        while (inFlight.size() >= config.maxInFlightBatches()) {
            await(inFlight.poll());
        }
        reapCompleted();
        List<Record> records = batch;
        batch = new ArrayList<>();
        batchBytes = 0;
        lastBatchRecords = records.size();
        long started = System.nanoTime();
        CompletableFuture<AppendResult> f = log.appendAsync(records);
        f.thenRun(
                () -> {
                    lastAppendMillis = (System.nanoTime() - started) / 1_000_000;
                });
        inFlight.add(f);
    }

    private void reapCompleted() throws IOException, InterruptedException {
        while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
            await(inFlight.poll());
        }
    }

    private void await(CompletableFuture<AppendResult> f) throws IOException, InterruptedException {
        try {
            AppendResult r = f.get();
            pendingRecords = Math.max(0, pendingRecords - r.count());
        } catch (ExecutionException e) {
            throw new IOException(
                    "append to "
                            + config.log().directory()
                            + " failed: "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (config.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            return; // staged records are made durable in prepareCommit
        }
        sendBatch();
        if (config.guarantee() == DeliveryGuarantee.AT_LEAST_ONCE || endOfInput) {
            while (!inFlight.isEmpty()) {
                await(inFlight.poll());
            }
        } else {
            reapCompleted();
        }
    }

    @Override
    public Collection<LsmLogCommittable> prepareCommit() throws IOException {
        if (config.guarantee() != DeliveryGuarantee.EXACTLY_ONCE || staging == null) {
            return List.of();
        }
        StageWriter w = staging;
        staging = null;
        pendingRecords = 0;
        Staged staged = w.seal();
        return List.of(
                new LsmLogCommittable(
                        config.sinkId(),
                        subtask,
                        epochBase + stagingCheckpointId,
                        staged.records(),
                        staged.bytes()));
    }

    @Override
    public List<LsmLogWriterState> snapshotState(long checkpointId) {
        // Records after this checkpoint's barrier belong to the next one.
        stagingCheckpointId = checkpointId + 1;
        return List.of(new LsmLogWriterState(config.sinkId(), subtask, epochBase));
    }

    @Override
    public void close() throws Exception {
        try {
            for (CompletableFuture<AppendResult> f : inFlight) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    LOG.warn("append failed while closing", e.getCause());
                }
            }
            if (staging != null) {
                staging.close(); // unsealed: removed as stale on restore
            }
        } finally {
            lease.close();
        }
    }
}
