package io.lsmlog.client;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.lsmlog.AppendResult;
import io.lsmlog.InvalidArgumentException;
import io.lsmlog.LogClosedException;
import io.lsmlog.LogException;
import io.lsmlog.client.proto.AppendReply;
import io.lsmlog.client.proto.AppendRequest;
import io.lsmlog.client.wire.Wire;
import io.lsmlog.client.wire.WireErrors;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Appends over one bidirectional stream: any number of requests in flight up to the config's bound,
 * applied by the server in the order sent, each acknowledged with its id. When the stream breaks,
 * every append in flight fails with {@link LogUnavailableException} (it may or may not have been
 * written) and the next append opens a new stream.
 */
final class AppendPipeline implements AutoCloseable {
    private final Connection connection;
    private final Semaphore inFlight;
    private final int serverMaxMessageBytes;
    private final Map<Long, CompletableFuture<AppendResult>> pending = new ConcurrentHashMap<>();
    private long nextId;
    private Stream stream;
    private boolean closed;

    AppendPipeline(Connection connection, int serverMaxMessageBytes) {
        this.connection = connection;
        this.serverMaxMessageBytes = serverMaxMessageBytes;
        this.inFlight = new Semaphore(connection.config().maxInFlightAppends());
    }

    /** Sends the request (its id is set here); blocks while the bound of appends is in flight. */
    CompletableFuture<AppendResult> send(AppendRequest.Builder request) {
        // Refused here, typed, instead of the server breaking the stream and every append in it.
        int size = request.build().getSerializedSize();
        if (serverMaxMessageBytes > 0 && size > serverMaxMessageBytes) {
            throw new InvalidArgumentException(
                    connection.address()
                            + ": an append of "
                            + size
                            + " bytes is larger than the server's message limit of "
                            + serverMaxMessageBytes
                            + " bytes; split it into smaller appends");
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted while waiting to append", e);
        }
        CompletableFuture<AppendResult> f = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                inFlight.release();
                throw new LogClosedException(connection.address() + ": the client is closed");
            }
            long id = nextId++;
            pending.put(id, f);
            if (stream == null) {
                stream = new Stream();
                connection.async().appendStream(stream);
            }
            stream.requests.onNext(request.setId(id).build());
        }
        return f;
    }

    /** Completes when every append sent so far is acknowledged (or failed). */
    CompletableFuture<Void> drained() {
        return CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new))
                .handle((v, t) -> null);
    }

    private void acknowledged(AppendReply reply) {
        CompletableFuture<AppendResult> f = pending.remove(reply.getId());
        if (f == null) {
            return;
        }
        inFlight.release();
        if (reply.hasError()) {
            f.completeExceptionally(
                    WireErrors.fromErrorMsg(reply.getError(), connection.address()));
        } else {
            f.complete(Wire.appendResult(reply));
        }
    }

    private synchronized void broken(Stream s, Throwable t) {
        if (stream == s) {
            stream = null;
        }
        LogException e =
                t == null || WireErrors.isTransient(t)
                        ? new LogUnavailableException(
                                connection.address()
                                        + ": the connection broke with appends in flight; they may"
                                        + " or may not have been written",
                                t)
                        : connection.failure(t);
        for (Long id : pending.keySet()) {
            CompletableFuture<AppendResult> f = pending.remove(id);
            if (f != null) {
                inFlight.release();
                f.completeExceptionally(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (stream != null) {
            stream.requests.onCompleted();
            stream = null;
        }
    }

    private final class Stream implements ClientResponseObserver<AppendRequest, AppendReply> {
        ClientCallStreamObserver<AppendRequest> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<AppendRequest> r) {
            this.requests = r;
        }

        @Override
        public void onNext(AppendReply reply) {
            acknowledged(reply);
        }

        @Override
        public void onError(Throwable t) {
            broken(this, t);
        }

        @Override
        public void onCompleted() {
            broken(this, null);
        }
    }
}
