package io.lsmlog.flink.source.reader;

import io.lsmlog.LogEntry;
import io.lsmlog.LogRead;
import io.lsmlog.flink.internal.SharedLogs;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.enumerator.CheckpointPositionsEvent;
import io.lsmlog.flink.source.enumerator.FinishedSplitsCheckpointedEvent;
import io.lsmlog.flink.source.enumerator.LimitReachedEvent;
import io.lsmlog.flink.source.enumerator.ReaderFinishedEvent;
import io.lsmlog.flink.source.enumerator.SplitsFinishedEvent;
import io.lsmlog.flink.source.enumerator.StopReadingEvent;
import io.lsmlog.flink.source.split.LsmLogSplit;
import io.lsmlog.flink.source.split.LsmLogSplitState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

/**
 * A source reader: reads its splits through one shared {@link LogReader} per log directory and
 * reports finished splits to the enumerator, carrying them in its state until the enumerator has
 * checkpointed them as finished.
 */
public final class LsmLogSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<LogEntry, T, LsmLogSplit, LsmLogSplitState> {
    private final SharedLogs.Lease<LogRead> lease;
    private final LsmLogRecordEmitter<T> emitter;
    private boolean stopped; // the record limit was reached here or by another reader
    private boolean ended; // END_OF_INPUT returned and announced
    private final Map<String, LsmLogSplit> finishedUnconfirmed = new LinkedHashMap<>();
    private boolean started;
    private final long session = new java.util.Random().nextLong();
    @Nullable private final RateLimiter<LsmLogSplit> rateLimiter;
    @Nullable private CompletableFuture<Void> permit; // the rate limiter's, while it is pending
    private final boolean reportPositions; // the source commits to a reader group

    public LsmLogSourceReader(
            SharedLogs.Lease<LogRead> lease,
            LsmLogDeserializer<T> deserializer,
            long recordLimit,
            @Nullable RateLimiter<LsmLogSplit> rateLimiter,
            boolean reportPositions,
            Configuration config,
            SourceReaderContext context) {
        this(
                lease,
                new LsmLogRecordEmitter<>(deserializer, recordLimit),
                rateLimiter,
                reportPositions,
                config,
                context);
    }

    private LsmLogSourceReader(
            SharedLogs.Lease<LogRead> lease,
            LsmLogRecordEmitter<T> emitter,
            @Nullable RateLimiter<LsmLogSplit> rateLimiter,
            boolean reportPositions,
            Configuration config,
            SourceReaderContext context) {
        super(splitReaders(lease, context), emitter, config, context);
        this.lease = lease;
        this.emitter = emitter;
        this.rateLimiter = rateLimiter;
        this.reportPositions = reportPositions;
    }

    /**
     * One set of metrics for all the split readers of this reader (Flink makes one per fetcher).
     */
    private static Supplier<SplitReader<LogEntry, LsmLogSplit>> splitReaders(
            SharedLogs.Lease<LogRead> lease, SourceReaderContext context) {
        ReaderMetrics metrics = ReaderMetrics.register(context.metricGroup());
        return () -> new LsmLogSplitReader(lease.get(), metrics);
    }

    @Override
    public org.apache.flink.core.io.InputStatus pollNext(
            org.apache.flink.api.connector.source.ReaderOutput<T> output) throws Exception {
        // One permit per record (a poll emits at most one): wait for it while it is pending.
        if (rateLimiter != null && !stopped) {
            if (permit == null) {
                permit = rateLimiter.acquire().toCompletableFuture();
            }
            if (!permit.isDone()) {
                return org.apache.flink.core.io.InputStatus.NOTHING_AVAILABLE;
            }
            permit = null;
        }
        org.apache.flink.core.io.InputStatus status;
        if (stopped) {
            status = org.apache.flink.core.io.InputStatus.END_OF_INPUT;
        } else if (emitter.limitReached()) {
            stopped = true;
            context.sendSourceEventToCoordinator(new LimitReachedEvent());
            status = org.apache.flink.core.io.InputStatus.END_OF_INPUT;
        } else {
            status = super.pollNext(output);
        }
        if (status == org.apache.flink.core.io.InputStatus.END_OF_INPUT && !ended) {
            ended = true;
            context.sendSourceEventToCoordinator(new ReaderFinishedEvent());
        }
        return status;
    }

    @Override
    public void start() {
        // Announce this reader's session (the enumerator hears only the current session of a
        // subtask), together with the restored splits that were already finished.
        context.sendSourceEventToCoordinator(
                new SplitsFinishedEvent(
                        session, true, new ArrayList<>(finishedUnconfirmed.keySet())));
        started = true;
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, LsmLogSplitState> finished) {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, LsmLogSplitState> e : finished.entrySet()) {
            finishedUnconfirmed.put(e.getKey(), e.getValue().toSplit().asFinished());
            ids.add(e.getKey());
        }
        context.sendSourceEventToCoordinator(new SplitsFinishedEvent(session, false, ids));
    }

    @Override
    public void addSplits(List<LsmLogSplit> splits) {
        List<LsmLogSplit> toRead = new ArrayList<>();
        List<String> alreadyFinished = new ArrayList<>();
        for (LsmLogSplit s : splits) {
            if (s.finished()) {
                finishedUnconfirmed.put(s.splitId(), s);
                alreadyFinished.add(s.splitId());
            } else {
                toRead.add(s);
            }
        }
        if (!alreadyFinished.isEmpty() && started) {
            context.sendSourceEventToCoordinator(
                    new SplitsFinishedEvent(session, false, alreadyFinished));
        }
        if (!toRead.isEmpty()) {
            super.addSplits(toRead);
        }
    }

    @Override
    public List<LsmLogSplit> snapshotState(long checkpointId) {
        List<LsmLogSplit> state = new ArrayList<>(super.snapshotState(checkpointId));
        if (reportPositions && started) {
            Map<String, Long> tailing = new java.util.HashMap<>();
            for (LsmLogSplit s : state) {
                if (s.tailing()) {
                    tailing.put(s.splitId(), s.nextSequence());
                }
            }
            context.sendSourceEventToCoordinator(
                    new CheckpointPositionsEvent(
                            session,
                            checkpointId,
                            tailing,
                            new ArrayList<>(finishedUnconfirmed.keySet())));
        }
        state.addAll(finishedUnconfirmed.values());
        return state;
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof FinishedSplitsCheckpointedEvent confirmed) {
            confirmed.splitIds().forEach(finishedUnconfirmed::remove);
        } else if (event instanceof StopReadingEvent) {
            stopped = true;
            splitFetcherManager.getQueue().notifyAvailable(); // wake pollNext if idle
        } else {
            super.handleSourceEvents(event);
        }
    }

    @Override
    protected LsmLogSplitState initializedState(LsmLogSplit split) {
        return new LsmLogSplitState(split);
    }

    @Override
    protected LsmLogSplit toSplitType(String splitId, LsmLogSplitState state) {
        return state.toSplit();
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            lease.close();
        }
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        CompletableFuture<Void> p = permit;
        return p != null && !p.isDone() ? p : super.isAvailable();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        if (rateLimiter != null) {
            rateLimiter.notifyCheckpointComplete(checkpointId);
        }
    }
}
