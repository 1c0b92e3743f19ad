package io.lsmlog.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.lsmlog.client.wire.WireErrors;
import java.util.function.Supplier;

/**
 * A server stream sent only while the transport is ready for it (the client asked for more), so a
 * slow client holds the server back, not its memory: each message comes from {@code next} (null
 * when the stream is done); {@code onEnd} runs once whether the stream ends, fails or the client
 * cancels. Scans and key listings are sent this way.
 */
final class PumpedStream<M> {
    private final ServerCallStreamObserver<M> out;
    private final Supplier<M> next;
    private final Runnable onEnd;
    private boolean done;

    PumpedStream(ServerCallStreamObserver<M> out, Supplier<M> next, Runnable onEnd) {
        this.out = out;
        this.next = next;
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
                M message = next.get();
                if (message == null) {
                    end();
                    out.onCompleted();
                    return;
                }
                out.onNext(message);
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
        onEnd.run();
    }
}
