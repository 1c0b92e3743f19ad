package io.lsmlog.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.lsmlog.LogIterator;
import io.lsmlog.client.proto.EntryBatch;
import io.lsmlog.client.wire.Packed;
import io.lsmlog.client.wire.WireErrors;

/**
 * Sends one scan as a flow-controlled stream: a batch goes out only while the transport is ready
 * for it (the client asked for more), so a slow client holds back the scan, not the server's
 * memory. The iterator is closed when the scan ends, fails or the client cancels.
 */
final class ScanStream {
    private final ServerCallStreamObserver<EntryBatch> out;
    private final LogIterator entries;
    private final long frontier;
    private final Runnable onEnd;
    private boolean first = true;
    private boolean done;

    ScanStream(
            ServerCallStreamObserver<EntryBatch> out,
            LogIterator entries,
            long frontier,
            Runnable onEnd) {
        this.out = out;
        this.entries = entries;
        this.frontier = frontier;
        this.onEnd = onEnd;
    }

    void start() {
        out.setOnCancelHandler(this::cancelled);
        out.setOnReadyHandler(this::pump);
        pump();
    }

    private synchronized void pump() {
        if (done) {
            return;
        }
        try {
            while (out.isReady()) {
                Packed.EntryWriter packed = Batches.next(entries);
                if (packed == null) {
                    end();
                    out.onCompleted();
                    return;
                }
                EntryBatch.Builder batch = EntryBatch.newBuilder().setEntries(packed.finish());
                if (first) {
                    batch.setFrontier(frontier);
                    first = false;
                }
                out.onNext(batch.build());
            }
        } catch (RuntimeException e) {
            end();
            out.onError(WireErrors.toStatus(e));
        }
    }

    private synchronized void cancelled() {
        if (!done) {
            end();
        }
    }

    private void end() {
        done = true;
        entries.close();
        onEnd.run();
    }
}
