package io.lsmlog.server;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.lsmlog.AppendResult;
import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.Record;
import io.lsmlog.RetentionResult;
import io.lsmlog.Segment;
import io.lsmlog.SeqRange;
import io.lsmlog.StageWriter;
import io.lsmlog.Staged;
import io.lsmlog.client.ProtocolVersionException;
import io.lsmlog.client.proto.AbortStageReply;
import io.lsmlog.client.proto.AbortStaleReply;
import io.lsmlog.client.proto.AbortStaleRequest;
import io.lsmlog.client.proto.AppendReply;
import io.lsmlog.client.proto.AppendRequest;
import io.lsmlog.client.proto.AwaitReply;
import io.lsmlog.client.proto.AwaitRequest;
import io.lsmlog.client.proto.CheckpointReply;
import io.lsmlog.client.proto.CheckpointRequest;
import io.lsmlog.client.proto.CommitGroupReply;
import io.lsmlog.client.proto.CommitGroupRequest;
import io.lsmlog.client.proto.CommitStageReply;
import io.lsmlog.client.proto.CountReply;
import io.lsmlog.client.proto.CountRequest;
import io.lsmlog.client.proto.DeleteGroupReply;
import io.lsmlog.client.proto.DescribeGroupReply;
import io.lsmlog.client.proto.EntryBatch;
import io.lsmlog.client.proto.FlushReply;
import io.lsmlog.client.proto.FlushRequest;
import io.lsmlog.client.proto.GroupAssignmentMsg;
import io.lsmlog.client.proto.GroupHeartbeatRequest;
import io.lsmlog.client.proto.GroupNameMsg;
import io.lsmlog.client.proto.HelloReply;
import io.lsmlog.client.proto.HelloRequest;
import io.lsmlog.client.proto.JoinGroupRequest;
import io.lsmlog.client.proto.KeyBatch;
import io.lsmlog.client.proto.KeysRequest;
import io.lsmlog.client.proto.LatestReply;
import io.lsmlog.client.proto.LatestRequest;
import io.lsmlog.client.proto.ListGroupsReply;
import io.lsmlog.client.proto.ListGroupsRequest;
import io.lsmlog.client.proto.ListStagesReply;
import io.lsmlog.client.proto.ListStagesRequest;
import io.lsmlog.client.proto.LogServiceGrpc;
import io.lsmlog.client.proto.MarkerReply;
import io.lsmlog.client.proto.MarkerRequest;
import io.lsmlog.client.proto.ResetGroupReply;
import io.lsmlog.client.proto.ResetGroupRequest;
import io.lsmlog.client.proto.RetentionReply;
import io.lsmlog.client.proto.RetentionRequest;
import io.lsmlog.client.proto.ScanRequest;
import io.lsmlog.client.proto.SegmentsReply;
import io.lsmlog.client.proto.SegmentsRequest;
import io.lsmlog.client.proto.SequenceAtReply;
import io.lsmlog.client.proto.SequenceAtRequest;
import io.lsmlog.client.proto.StageChunk;
import io.lsmlog.client.proto.StageIdMsg;
import io.lsmlog.client.proto.StagedMsg;
import io.lsmlog.client.proto.StatsReply;
import io.lsmlog.client.proto.StatsRequest;
import io.lsmlog.client.proto.TailRequest;
import io.lsmlog.client.wire.GroupWire;
import io.lsmlog.client.wire.Packed;
import io.lsmlog.client.wire.Wire;
import io.lsmlog.client.wire.WireErrors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The gRPC service over one {@link Log}: every call is a thin translation to its API. */
final class LogService extends LogServiceGrpc.LogServiceImplBase {
    private final Log log;
    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final Executor executor;

    LogService(Log log, ServerConfig config, ServerMetrics metrics, Executor executor) {
        this.log = log;
        this.config = config;
        this.metrics = metrics;
        this.executor = executor;
    }

    @Override
    public void hello(HelloRequest r, StreamObserver<HelloReply> out) {
        unary(
                out,
                () -> {
                    if (r.getProtocolVersion() != Wire.PROTOCOL_VERSION) {
                        throw new ProtocolVersionException(
                                "the client speaks protocol version "
                                        + r.getProtocolVersion()
                                        + ", this server "
                                        + Wire.PROTOCOL_VERSION
                                        + ": use a client and server of the same release");
                    }
                    return HelloReply.newBuilder()
                            .setProtocolVersion(Wire.PROTOCOL_VERSION)
                            .setServer("lsmlog-server " + LogServer.version())
                            .setDirectory(log.config().directory().toString())
                            .setMaxMessageBytes(config.maxMessageBytes())
                            .build();
                });
    }

    // ---- writes

    @Override
    public void append(AppendRequest r, StreamObserver<AppendReply> out) {
        unary(out, () -> Wire.appendReply(r.getId(), appendNow(r)).build());
    }

    private AppendResult appendNow(AppendRequest r) {
        List<Record> records = Packed.readRecords(r.getRecords());
        AppendResult result =
                r.getMarkerId().isEmpty()
                        ? log.append(records)
                        : log.appendWithMarker(
                                records, r.getMarkerId(), Wire.marker(r.getMarker()));
        metrics.appended(r.getSerializedSize(), records.size());
        return result;
    }

    /**
     * Pipelined appends: each request is queued on the log's writer as it arrives (so they apply in
     * order) and acknowledged when written. A failed append is answered with its error and the
     * stream goes on.
     */
    @Override
    public StreamObserver<AppendRequest> appendStream(StreamObserver<AppendReply> out) {
        metrics.streamOpened();
        return new StreamObserver<>() {
            private boolean ended;

            @Override
            public void onNext(AppendRequest r) {
                CompletableFuture<AppendResult> f;
                int[] count = {0};
                try {
                    List<Record> records = Packed.readRecords(r.getRecords());
                    count[0] = records.size();
                    if (r.getMarkerId().isEmpty()) {
                        f = log.appendAsync(records);
                    } else {
                        // Blocks this stream until written: appends after it wait, in order.
                        f =
                                CompletableFuture.completedFuture(
                                        log.appendWithMarker(
                                                records,
                                                r.getMarkerId(),
                                                Wire.marker(r.getMarker())));
                    }
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                long id = r.getId();
                int bytes = r.getSerializedSize();
                // The future completes on the log's single writer thread: the reply is built and
                // sent on the server's executor, so that thread goes back to writing at once.
                // Replies may overtake each other; the client matches them by id.
                f.whenCompleteAsync(
                        (result, failure) -> {
                            AppendReply reply;
                            if (failure == null) {
                                metrics.appended(bytes, count[0]);
                                reply = Wire.appendReply(id, result).build();
                            } else {
                                Throwable cause =
                                        failure.getCause() != null
                                                        && failure
                                                                instanceof
                                                                java.util.concurrent
                                                                        .CompletionException
                                                ? failure.getCause()
                                                : failure;
                                reply =
                                        AppendReply.newBuilder()
                                                .setId(id)
                                                .setError(WireErrors.toErrorMsg(cause))
                                                .build();
                            }
                            synchronized (out) {
                                if (!ended) {
                                    out.onNext(reply);
                                }
                            }
                        },
                        executor);
            }

            @Override
            public void onError(Throwable t) {
                end(false);
            }

            @Override
            public void onCompleted() {
                end(true);
            }

            private void end(boolean completed) {
                // What was queued is written whatever happens to the stream; the client waits
                // for its acknowledgements before it completes, so nothing is left to answer.
                synchronized (out) {
                    if (ended) {
                        return;
                    }
                    ended = true;
                    if (completed) {
                        out.onCompleted();
                    }
                }
                metrics.streamClosed();
            }
        };
    }

    @Override
    public void flush(FlushRequest r, StreamObserver<FlushReply> out) {
        unary(
                out,
                () -> {
                    log.flush();
                    return FlushReply.getDefaultInstance();
                });
    }

    @Override
    public void getMarker(MarkerRequest r, StreamObserver<MarkerReply> out) {
        unary(
                out,
                () -> {
                    MarkerReply.Builder b = MarkerReply.newBuilder();
                    log.marker(r.getMarkerId())
                            .ifPresent(m -> b.setPresent(true).setMarker(Wire.marker(m)));
                    return b.build();
                });
    }

    @Override
    public void checkpoint(CheckpointRequest r, StreamObserver<CheckpointReply> out) {
        unary(
                out,
                () -> {
                    log.checkpoint(Path.of(r.getTarget()));
                    return CheckpointReply.getDefaultInstance();
                });
    }

    @Override
    public void retention(RetentionRequest r, StreamObserver<RetentionReply> out) {
        unary(
                out,
                () -> {
                    RetentionResult result =
                            log.applyRetention(
                                    r.getMaxAgeMs() == 0
                                            ? null
                                            : Duration.ofMillis(r.getMaxAgeMs()),
                                    r.getMaxBytes());
                    RetentionReply.Builder b =
                            RetentionReply.newBuilder()
                                    .setBytesBefore(result.bytesBefore())
                                    .setBytesAfter(result.bytesAfter());
                    for (Segment s : result.dropped()) {
                        b.addDropped(Wire.segment(s, 0));
                    }
                    return b.build();
                });
    }

    // ---- exactly-once staging

    /**
     * One stage as a client stream: records are written to the stage file as they arrive; the
     * sealing chunk fsyncs it and is answered with the counts. A stream that breaks before its seal
     * leaves an unsealed stage, which the restored job's {@code abortStaleStages} removes.
     */
    @Override
    public StreamObserver<StageChunk> stage(StreamObserver<StagedMsg> out) {
        metrics.streamOpened();
        return new StreamObserver<>() {
            private StageWriter writer;
            private boolean ended;

            @Override
            public void onNext(StageChunk chunk) {
                if (ended) {
                    return;
                }
                try {
                    if (writer == null) {
                        writer = log.staging().open(Wire.stageId(chunk.getId()));
                    }
                    for (Record r : Packed.readRecords(chunk.getRecords())) {
                        writer.write(r);
                    }
                    if (chunk.getSeal()) {
                        Staged staged = writer.seal();
                        writer = null;
                        end();
                        out.onNext(Wire.staged(staged));
                        out.onCompleted();
                    }
                } catch (RuntimeException e) {
                    abandon();
                    out.onError(WireErrors.toStatus(e));
                }
            }

            @Override
            public void onError(Throwable t) {
                abandon();
            }

            @Override
            public void onCompleted() {
                if (!ended) {
                    abandon();
                    out.onError(
                            Status.INVALID_ARGUMENT
                                    .withDescription("a stage stream ended without its seal")
                                    .asRuntimeException());
                }
            }

            private void abandon() {
                if (writer != null) {
                    writer.close();
                    writer = null;
                }
                end();
            }

            private void end() {
                if (!ended) {
                    ended = true;
                    metrics.streamClosed();
                }
            }
        };
    }

    @Override
    public void commitStage(StagedMsg r, StreamObserver<CommitStageReply> out) {
        unary(
                out,
                () ->
                        CommitStageReply.newBuilder()
                                .setAlreadyCommitted(log.staging().commit(Wire.staged(r)))
                                .build());
    }

    @Override
    public void abortStaleStages(AbortStaleRequest r, StreamObserver<AbortStaleReply> out) {
        unary(
                out,
                () ->
                        AbortStaleReply.newBuilder()
                                .setRemoved(
                                        log.staging()
                                                .abortStale(
                                                        r.getSinkId(),
                                                        new HashSet<>(r.getSubtasksList()),
                                                        r.getRestoredCheckpointId()))
                                .build());
    }

    @Override
    public void listStages(ListStagesRequest r, StreamObserver<ListStagesReply> out) {
        unary(
                out,
                () -> {
                    ListStagesReply.Builder b = ListStagesReply.newBuilder();
                    for (Staged s : log.staging().list()) {
                        b.addStages(Wire.staged(s));
                    }
                    return b.build();
                });
    }

    @Override
    public void abortStage(StageIdMsg r, StreamObserver<AbortStageReply> out) {
        unary(
                out,
                () ->
                        AbortStageReply.newBuilder()
                                .setRemoved(log.staging().abort(Wire.stageId(r)))
                                .build());
    }

    // ---- reads

    @Override
    public void scan(ScanRequest r, StreamObserver<EntryBatch> out) {
        ServerCallStreamObserver<EntryBatch> call = (ServerCallStreamObserver<EntryBatch>) out;
        LogIterator entries;
        long frontier;
        try {
            frontier = log.nextSequence();
            entries = ScanRequests.open(log, r, frontier);
        } catch (RuntimeException e) {
            out.onError(WireErrors.toStatus(e));
            return;
        }
        metrics.streamOpened();
        // The first batch says which frontier the scan reads below (a resumed scan keeps to it).
        boolean[] first = {true};
        new PumpedStream<EntryBatch>(
                        call,
                        () -> {
                            Packed.EntryWriter packed = Batches.next(entries);
                            if (packed == null) {
                                return null;
                            }
                            EntryBatch.Builder b =
                                    EntryBatch.newBuilder().setEntries(packed.finish());
                            if (first[0]) {
                                b.setFrontier(frontier);
                                first[0] = false;
                            }
                            return b.build();
                        },
                        () -> {
                            entries.close();
                            metrics.streamClosed();
                        })
                .start();
    }

    @Override
    public void tail(TailRequest r, StreamObserver<EntryBatch> out) {
        ServerCallStreamObserver<EntryBatch> call = (ServerCallStreamObserver<EntryBatch>) out;
        KeyRange keys;
        try {
            keys = Wire.keys(r.getKeys());
        } catch (RuntimeException e) {
            out.onError(WireErrors.toStatus(e));
            return;
        }
        metrics.streamOpened();
        new TailStream(
                        call,
                        log,
                        keys,
                        r.getFrom(),
                        r.getFailIfDropped(),
                        executor,
                        metrics::streamClosed)
                .start();
    }

    @Override
    public void latest(LatestRequest r, StreamObserver<LatestReply> out) {
        unary(
                out,
                () -> {
                    Optional<LogEntry> e =
                            r.hasBefore()
                                    ? log.latestBefore(r.getKey().toByteArray(), r.getBefore())
                                    : log.latest(r.getKey().toByteArray());
                    LatestReply.Builder b = LatestReply.newBuilder();
                    e.ifPresent(x -> b.setPresent(true).setEntry(Wire.entry(x)));
                    return b.build();
                });
    }

    @Override
    public void count(CountRequest r, StreamObserver<CountReply> out) {
        unary(
                out,
                () -> {
                    SeqRange range = Wire.range(r.getRange());
                    long n =
                            r.getKey().isEmpty()
                                    ? log.count(Wire.keys(r.getKeys()), range)
                                    : log.count(r.getKey().toByteArray(), range);
                    return CountReply.newBuilder().setCount(n).build();
                });
    }

    /** Keys go out in batches of up to 4,096; the listing is flow-controlled by the client. */
    @Override
    public void countRanges(
            io.lsmlog.client.proto.CountRangesRequest r,
            StreamObserver<io.lsmlog.client.proto.CountRangesReply> out) {
        unary(
                out,
                () -> {
                    List<KeyRange> keys = new ArrayList<>();
                    for (io.lsmlog.client.proto.KeyRangeMsg m : r.getKeysList()) {
                        keys.add(Wire.keys(m));
                    }
                    io.lsmlog.client.proto.CountRangesReply.Builder b =
                            io.lsmlog.client.proto.CountRangesReply.newBuilder();
                    for (long n : log.countRanges(keys, r.getFromList(), r.getTo())) {
                        b.addCounts(n);
                    }
                    return b.build();
                });
    }

    @Override
    public void keys(KeysRequest r, StreamObserver<KeyBatch> out) {
        ServerCallStreamObserver<KeyBatch> call = (ServerCallStreamObserver<KeyBatch>) out;
        KeyIterator keys;
        try {
            KeyRange range = Wire.keys(r.getKeys());
            if (r.getSegmentIdsCount() == 0) {
                keys = log.keys(range);
            } else {
                List<Segment> chosen = new ArrayList<>();
                for (Segment s : log.segments()) {
                    if (r.getSegmentIdsList().contains(s.id())) {
                        chosen.add(s);
                    }
                }
                keys = log.keys(chosen, range);
            }
        } catch (RuntimeException e) {
            out.onError(WireErrors.toStatus(e));
            return;
        }
        KeyIterator listed = keys;
        new PumpedStream<KeyBatch>(
                        call,
                        () -> {
                            if (!listed.hasNext()) {
                                return null;
                            }
                            KeyBatch.Builder b = KeyBatch.newBuilder();
                            for (int n = 0; n < Batches.MAX_ENTRIES && listed.hasNext(); n++) {
                                b.addKeys(Wire.bytes(listed.next()));
                            }
                            return b.build();
                        },
                        listed::close)
                .start();
    }

    @Override
    public void segments(SegmentsRequest r, StreamObserver<SegmentsReply> out) {
        unary(
                out,
                () -> {
                    SegmentsReply.Builder b = SegmentsReply.newBuilder();
                    for (Segment s : log.segments()) {
                        b.addSegments(Wire.segment(s, log.approximateBytes(s)));
                    }
                    return b.build();
                });
    }

    @Override
    public void stats(StatsRequest r, StreamObserver<StatsReply> out) {
        unary(
                out,
                () ->
                        StatsReply.newBuilder()
                                .setNextSequence(log.nextSequence())
                                .setFirstSequence(log.firstSequence())
                                .setDiskBytes(log.diskBytes())
                                .build());
    }

    @Override
    public void sequenceAt(SequenceAtRequest r, StreamObserver<SequenceAtReply> out) {
        unary(
                out,
                () ->
                        SequenceAtReply.newBuilder()
                                .setSequence(log.sequenceAt(r.getTimestamp()))
                                .build());
    }

    /** Answers when the frontier passes the sequence or the timeout passes; holds no thread. */
    @Override
    public void awaitSequence(AwaitRequest r, StreamObserver<AwaitReply> out) {
        // A copy: the log may share its future between waiters, and a timeout must end only ours.
        CompletableFuture<Long> f = log.awaitSequence(r.getSequence()).copy();
        f.orTimeout(Math.max(0, r.getTimeoutMs()), TimeUnit.MILLISECONDS)
                .whenCompleteAsync(
                        (frontier, failure) -> {
                            if (failure == null) {
                                out.onNext(
                                        AwaitReply.newBuilder()
                                                .setReached(true)
                                                .setNextSequence(frontier)
                                                .build());
                                out.onCompleted();
                            } else if (failure instanceof java.util.concurrent.TimeoutException) {
                                out.onNext(
                                        AwaitReply.newBuilder()
                                                .setReached(false)
                                                .setNextSequence(log.nextSequence())
                                                .build());
                                out.onCompleted();
                            } else {
                                out.onError(
                                        WireErrors.toStatus(
                                                failure.getCause() == null
                                                        ? failure
                                                        : failure.getCause()));
                            }
                        },
                        executor);
    }

    // ---- reader groups: the server's log is their one coordinator

    @Override
    public void joinGroup(JoinGroupRequest r, StreamObserver<GroupAssignmentMsg> out) {
        unary(
                out,
                () ->
                        GroupWire.assignment(
                                log.groups()
                                        .join(
                                                r.getGroup(),
                                                r.getMember(),
                                                Duration.ofMillis(r.getSessionTimeoutMs()),
                                                r.getRanges())));
    }

    @Override
    public void groupHeartbeat(GroupHeartbeatRequest r, StreamObserver<GroupAssignmentMsg> out) {
        unary(
                out,
                () ->
                        GroupWire.assignment(
                                log.groups()
                                        .heartbeat(
                                                r.getGroup(), r.getMember(), r.getReleasedMap())));
    }

    @Override
    public void commitGroup(CommitGroupRequest r, StreamObserver<CommitGroupReply> out) {
        unary(
                out,
                () -> {
                    log.groups().commit(r.getGroup(), r.getMember(), r.getPositionsMap());
                    return CommitGroupReply.getDefaultInstance();
                });
    }

    @Override
    public void commitGroupWith(CommitGroupRequest r, StreamObserver<AppendReply> out) {
        unary(
                out,
                () -> {
                    List<Record> records = Packed.readRecords(r.getRecords());
                    AppendResult result =
                            log.groups()
                                    .commitWith(
                                            r.getGroup(),
                                            r.getMember(),
                                            r.getPositionsMap(),
                                            records);
                    metrics.appended(r.getRecords().size(), records.size());
                    return Wire.appendReply(0, result).build();
                });
    }

    @Override
    public void leaveGroup(CommitGroupRequest r, StreamObserver<CommitGroupReply> out) {
        unary(
                out,
                () -> {
                    log.groups().leave(r.getGroup(), r.getMember(), r.getPositionsMap());
                    return CommitGroupReply.getDefaultInstance();
                });
    }

    @Override
    public void createGroup(JoinGroupRequest r, StreamObserver<DescribeGroupReply> out) {
        unary(
                out,
                () ->
                        DescribeGroupReply.newBuilder()
                                .setPresent(true)
                                .setGroup(
                                        GroupWire.description(
                                                log.groups().create(r.getGroup(), r.getRanges())))
                                .build());
    }

    @Override
    public void commitIdleGroup(CommitGroupRequest r, StreamObserver<CommitGroupReply> out) {
        unary(
                out,
                () -> {
                    log.groups().commitIdle(r.getGroup(), r.getPositionsMap());
                    return CommitGroupReply.getDefaultInstance();
                });
    }

    @Override
    public void listGroups(ListGroupsRequest r, StreamObserver<ListGroupsReply> out) {
        unary(out, () -> ListGroupsReply.newBuilder().addAllGroups(log.groups().list()).build());
    }

    @Override
    public void describeGroup(GroupNameMsg r, StreamObserver<DescribeGroupReply> out) {
        unary(
                out,
                () -> {
                    DescribeGroupReply.Builder b = DescribeGroupReply.newBuilder();
                    log.groups()
                            .describe(r.getGroup())
                            .ifPresent(d -> b.setPresent(true).setGroup(GroupWire.description(d)));
                    return b.build();
                });
    }

    @Override
    public void resetGroup(ResetGroupRequest r, StreamObserver<ResetGroupReply> out) {
        unary(
                out,
                () -> {
                    log.groups().reset(r.getGroup(), r.getSequence());
                    return ResetGroupReply.getDefaultInstance();
                });
    }

    @Override
    public void deleteGroup(GroupNameMsg r, StreamObserver<DeleteGroupReply> out) {
        unary(
                out,
                () ->
                        DeleteGroupReply.newBuilder()
                                .setDeleted(log.groups().delete(r.getGroup()))
                                .build());
    }

    private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
        T reply;
        try {
            reply = call.get();
        } catch (RuntimeException e) {
            out.onError(WireErrors.toStatus(e));
            return;
        } catch (Error e) {
            out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            throw e;
        }
        out.onNext(reply);
        out.onCompleted();
    }
}
