package io.lsmlog.client;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.lsmlog.LogException;
import io.lsmlog.Record;
import io.lsmlog.StageId;
import io.lsmlog.StageWriter;
import io.lsmlog.Staged;
import io.lsmlog.Staging;
import io.lsmlog.client.proto.AbortStaleRequest;
import io.lsmlog.client.proto.ListStagesRequest;
import io.lsmlog.client.proto.StageChunk;
import io.lsmlog.client.proto.StagedMsg;
import io.lsmlog.client.wire.Packed;
import io.lsmlog.client.wire.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Staging} on the server's disk. A stage is one client stream: records go out in chunks as
 * they are written (flow-controlled: a writer waits while the transport is full), the seal is its
 * last message and is answered once the server fsynced the stage. Commits are idempotent on the
 * server, so a commit retried after a broken connection appends nothing twice.
 */
final class RemoteStaging implements Staging {
    private static final int CHUNK_RECORDS = 2_000;
    private static final long CHUNK_BYTES = 1 << 20;

    private final Connection connection;

    RemoteStaging(Connection connection) {
        this.connection = connection;
    }

    @Override
    public StageWriter open(StageId id) {
        return new RemoteStageWriter(id);
    }

    @Override
    public boolean commit(Staged staged) {
        return connection
                .call(() -> connection.blocking().commitStage(Wire.staged(staged)))
                .getAlreadyCommitted();
    }

    @Override
    public int abortStale(String sinkId, Set<Integer> subtasks, long restoredCheckpointId) {
        AbortStaleRequest r =
                AbortStaleRequest.newBuilder()
                        .setSinkId(sinkId)
                        .addAllSubtasks(subtasks)
                        .setRestoredCheckpointId(restoredCheckpointId)
                        .build();
        return connection.call(() -> connection.blocking().abortStaleStages(r)).getRemoved();
    }

    @Override
    public List<Staged> list() {
        List<Staged> out = new ArrayList<>();
        for (StagedMsg m :
                connection
                        .call(
                                () ->
                                        connection
                                                .blocking()
                                                .listStages(ListStagesRequest.getDefaultInstance()))
                        .getStagesList()) {
            out.add(Wire.staged(m));
        }
        return out;
    }

    @Override
    public boolean abort(StageId id) {
        return connection
                .call(() -> connection.blocking().abortStage(Wire.stageId(id)))
                .getRemoved();
    }

    private final class RemoteStageWriter
            implements StageWriter, ClientResponseObserver<StageChunk, StagedMsg> {
        private final StageId id;
        private final CompletableFuture<StagedMsg> reply = new CompletableFuture<>();
        private final Object ready = new Object();
        private ClientCallStreamObserver<StageChunk> stream;
        private final List<Record> chunk = new ArrayList<>();
        private long chunkBytes;
        private long records;
        private boolean first = true;
        private boolean ended;

        RemoteStageWriter(StageId id) {
            this.id = id;
            connection.async().stage(this);
            newChunk();
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<StageChunk> s) {
            this.stream = s;
            s.setOnReadyHandler(
                    () -> {
                        synchronized (ready) {
                            ready.notifyAll();
                        }
                    });
        }

        private void newChunk() {
            chunk.clear();
            chunkBytes = 0;
        }

        @Override
        public void write(Record r) {
            failIfBroken();
            chunk.add(r);
            chunkBytes += r.key().length + r.value().length;
            records++;
            if (chunk.size() >= CHUNK_RECORDS || chunkBytes >= CHUNK_BYTES) {
                send(false);
            }
        }

        private void send(boolean seal) {
            synchronized (ready) {
                while (!stream.isReady() && !reply.isDone()) {
                    try {
                        ready.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new LogException("interrupted while staging", e);
                    }
                }
            }
            failIfBroken();
            StageChunk.Builder m =
                    StageChunk.newBuilder().setRecords(Packed.records(chunk)).setSeal(seal);
            if (first) {
                m.setId(Wire.stageId(id));
                first = false;
            }
            stream.onNext(m.build());
            newChunk();
        }

        private void failIfBroken() {
            if (reply.isCompletedExceptionally()) {
                try {
                    reply.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw connection.failure(e.getCause());
                }
            }
        }

        @Override
        public long records() {
            return records;
        }

        @Override
        public Staged seal() {
            send(true);
            ended = true;
            stream.onCompleted();
            StagedMsg m;
            try {
                m =
                        reply.get(
                                connection.config().retryTime().toMillis() + 60_000,
                                TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw connection.failure(e.getCause());
            } catch (TimeoutException e) {
                throw new LogUnavailableException(
                        connection.address() + ": no answer to the seal of " + id, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LogException("interrupted while sealing " + id, e);
            }
            if (m.getRecords() != records) {
                throw new LogException(
                        connection.address()
                                + ": the server staged "
                                + m.getRecords()
                                + " records of "
                                + id
                                + ", "
                                + records
                                + " were sent");
            }
            return Wire.staged(m);
        }

        @Override
        public void close() {
            if (!ended) {
                ended = true;
                stream.cancel("closed without sealing", null);
            }
        }

        @Override
        public void onNext(StagedMsg m) {
            reply.complete(m);
        }

        @Override
        public void onError(Throwable t) {
            reply.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            if (!reply.isDone()) {
                reply.completeExceptionally(
                        new LogException(connection.address() + ": the stage stream ended early"));
            }
        }
    }
}
