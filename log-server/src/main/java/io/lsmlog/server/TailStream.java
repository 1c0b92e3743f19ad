package io.lsmlog.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.lsmlog.KeyRange;
import io.lsmlog.LogClosedException;
import io.lsmlog.LogIterator;
import io.lsmlog.LogRead;
import io.lsmlog.SeqRange;
import io.lsmlog.client.proto.EntryBatch;
import io.lsmlog.client.wire.Packed;
import io.lsmlog.client.wire.WireErrors;
import java.util.concurrent.Executor;

/**
 * Pushes entries to a client as they are appended: reads in sequence order up to the frontier, then
 * waits for the frontier to move (the log completes the wait on append; no polling). Flow
 * controlled like a scan: while the client is not ready nothing is read.
 */
final class TailStream {
    private final ServerCallStreamObserver<EntryBatch> out;
    private final LogRead log;
    private final KeyRange keys;
    private final boolean failIfDropped;
    private final Executor executor;
    private final Runnable onEnd;
    private long position;
    private LogIterator current;
    private long currentEnd;
    private boolean waiting;
    private boolean done;

    TailStream(
            ServerCallStreamObserver<EntryBatch> out,
            LogRead log,
            KeyRange keys,
            long from,
            boolean failIfDropped,
            Executor executor,
            Runnable onEnd) {
        this.out = out;
        this.log = log;
        this.keys = keys;
        this.position = from;
        this.failIfDropped = failIfDropped;
        this.executor = executor;
        this.onEnd = onEnd;
    }

    void start() {
        out.setOnCancelHandler(this::cancelled);
        out.setOnReadyHandler(this::pump);
        pump();
    }

    private synchronized void pump() {
        if (done || waiting) {
            return;
        }
        try {
            while (out.isReady()) {
                if (current == null) {
                    long frontier = log.nextSequence();
                    if (frontier <= position) {
                        waitFor(position);
                        return;
                    }
                    SeqRange range = new SeqRange(position, frontier, failIfDropped);
                    current = log.scanBySequence(keys, range);
                    currentEnd = frontier;
                }
                Packed.EntryWriter packed = Batches.next(current);
                if (packed == null) {
                    current.close();
                    current = null;
                    position = currentEnd;
                    continue;
                }
                position = packed.lastSequence() + 1;
                out.onNext(EntryBatch.newBuilder().setEntries(packed.finish()).build());
            }
        } catch (RuntimeException e) {
            end();
            out.onError(WireErrors.toStatus(e));
        }
    }

    /** Pumps again once an entry at or after {@code sequence} exists. */
    private void waitFor(long sequence) {
        waiting = true;
        log.awaitSequence(sequence)
                .whenCompleteAsync(
                        (frontier, failure) -> {
                            synchronized (this) {
                                waiting = false;
                                if (failure != null) {
                                    if (!done) {
                                        end();
                                        out.onError(
                                                WireErrors.toStatus(
                                                        new LogClosedException(
                                                                "the server is shutting down")));
                                    }
                                    return;
                                }
                            }
                            pump();
                        },
                        executor);
    }

    private synchronized void cancelled() {
        if (!done) {
            end();
        }
    }

    private void end() {
        done = true;
        if (current != null) {
            current.close();
            current = null;
        }
        onEnd.run();
    }
}
