package io.lsmlog.client;

import io.grpc.stub.StreamObserver;
import io.lsmlog.AppendResult;
import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.LogClosedException;
import io.lsmlog.LogEntry;
import io.lsmlog.LogException;
import io.lsmlog.LogIterator;
import io.lsmlog.LogRead;
import io.lsmlog.LogWrite;
import io.lsmlog.Marker;
import io.lsmlog.Record;
import io.lsmlog.RetentionResult;
import io.lsmlog.Segment;
import io.lsmlog.SeqRange;
import io.lsmlog.Staging;
import io.lsmlog.client.proto.AppendRequest;
import io.lsmlog.client.proto.AwaitReply;
import io.lsmlog.client.proto.AwaitRequest;
import io.lsmlog.client.proto.CheckpointRequest;
import io.lsmlog.client.proto.CountRequest;
import io.lsmlog.client.proto.EntryBatch;
import io.lsmlog.client.proto.FlushRequest;
import io.lsmlog.client.proto.HelloReply;
import io.lsmlog.client.proto.HelloRequest;
import io.lsmlog.client.proto.KeyBatch;
import io.lsmlog.client.proto.KeysRequest;
import io.lsmlog.client.proto.LatestReply;
import io.lsmlog.client.proto.LatestRequest;
import io.lsmlog.client.proto.MarkerReply;
import io.lsmlog.client.proto.MarkerRequest;
import io.lsmlog.client.proto.RetentionReply;
import io.lsmlog.client.proto.RetentionRequest;
import io.lsmlog.client.proto.ScanOrder;
import io.lsmlog.client.proto.ScanRequest;
import io.lsmlog.client.proto.SegmentMsg;
import io.lsmlog.client.proto.SegmentsRequest;
import io.lsmlog.client.proto.SequenceAtRequest;
import io.lsmlog.client.proto.StatsReply;
import io.lsmlog.client.proto.StatsRequest;
import io.lsmlog.client.proto.TailRequest;
import io.lsmlog.client.wire.Packed;
import io.lsmlog.client.wire.Wire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A log served by {@code lsmlog serve}, read and written through the same {@link LogWrite} (and
 * {@link io.lsmlog.LogRead}) interface as an embedded {@link io.lsmlog.Log}: code written against
 * the interface runs on both. Thread-safe. Open it with {@link LogClient#open}.
 *
 * <p>Every write goes through one ordered stream, so appends are applied in the order they are
 * called, whichever method made them. Reads retry on a new connection while the server is
 * unreachable (up to the config's retry time); a scan broken by a reconnect goes on after the last
 * entry it delivered.
 */
public final class RemoteLog implements LogWrite {
    /** Timeout of one server-side wait in {@link #awaitSequence(long)}; it is asked again. */
    private static final long AWAIT_ROUND_MS = 30_000;

    private final Connection connection;
    private final AppendPipeline appends;
    private final RemoteStaging staging;
    private final RemoteGroups groups;
    private final HelloReply server;
    private volatile boolean closed;
    // The segments with their sizes as the last segments() call got them: callers size each
    // segment of that list next (split planning, the CLI), one call instead of one per segment.
    private volatile List<SegmentMsg> lastSegments = List.of();

    private RemoteLog(Connection connection, HelloReply server) {
        this.connection = connection;
        this.server = server;
        this.appends = new AppendPipeline(connection, server.getMaxMessageBytes());
        this.staging = new RemoteStaging(connection);
        this.groups = new RemoteGroups(connection);
    }

    static RemoteLog connect(String host, int port, boolean tls, ClientConfig config) {
        return connect(host, port, tls, config, Wire.PROTOCOL_VERSION);
    }

    /** With a chosen protocol version: tests use it to see a mismatch refused. */
    static RemoteLog connect(
            String host, int port, boolean tls, ClientConfig config, int protocolVersion) {
        Connection c = new Connection(host, port, tls, config);
        try {
            HelloReply hello =
                    c.call(
                            () ->
                                    c.blocking()
                                            .hello(
                                                    HelloRequest.newBuilder()
                                                            .setProtocolVersion(protocolVersion)
                                                            .setClient("lsmlog-java")
                                                            .build()));
            return new RemoteLog(c, hello);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The server's address, as {@code lsmlog://host:port}. */
    public String address() {
        return connection.address();
    }

    /** The log directory on the server's machine. */
    public String serverDirectory() {
        return server.getDirectory();
    }

    /** The server's name and version. */
    public String serverVersion() {
        return server.getServer();
    }

    // ---- writes

    @Override
    public AppendResult append(List<Record> records) {
        return join(appendAsync(records));
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(List<Record> records) {
        checkOpen();
        return appends.send(AppendRequest.newBuilder().setRecords(Packed.records(records)));
    }

    @Override
    public AppendResult appendWithMarker(List<Record> records, String markerId, Marker marker) {
        checkOpen();
        Marker.validate(markerId, marker);
        return join(
                appends.send(
                        AppendRequest.newBuilder()
                                .setRecords(Packed.records(records))
                                .setMarkerId(markerId)
                                .setMarker(Wire.marker(marker))));
    }

    @Override
    public Optional<Marker> marker(String markerId) {
        checkOpen();
        MarkerReply r =
                connection.call(
                        () ->
                                connection
                                        .blocking()
                                        .getMarker(
                                                MarkerRequest.newBuilder()
                                                        .setMarkerId(markerId)
                                                        .build()));
        return r.getPresent() ? Optional.of(Wire.marker(r.getMarker())) : Optional.empty();
    }

    /** Waits for every append sent before it, then makes them durable on the server. */
    @Override
    public void flush() {
        checkOpen();
        appends.drained().join();
        connection.call(() -> connection.blocking().flush(FlushRequest.getDefaultInstance()));
    }

    @Override
    public RetentionResult applyRetention(Duration maxAge, long maxBytes) {
        checkOpen();
        RetentionReply r =
                connection.call(
                        () ->
                                connection
                                        .blocking()
                                        .retention(
                                                RetentionRequest.newBuilder()
                                                        .setMaxAgeMs(
                                                                maxAge == null
                                                                        ? 0
                                                                        : maxAge.toMillis())
                                                        .setMaxBytes(maxBytes)
                                                        .build()));
        List<Segment> dropped = new ArrayList<>();
        for (SegmentMsg s : r.getDroppedList()) {
            dropped.add(Wire.segment(s));
        }
        return new RetentionResult(dropped, r.getBytesBefore(), r.getBytesAfter());
    }

    /** The server's reader groups: members in any number of processes share one coordinator. */
    @Override
    public io.lsmlog.Groups groups() {
        checkOpen();
        return groups;
    }

    /** Stages on the server's disk: the exactly-once sink stages through this. */
    @Override
    public Staging staging() {
        checkOpen();
        return staging;
    }

    /** A checkpoint of the log into {@code target}, a path on the server's machine. */
    public void checkpoint(String target) {
        checkOpen();
        connection.call(
                () ->
                        connection
                                .blocking()
                                .checkpoint(
                                        CheckpointRequest.newBuilder().setTarget(target).build()));
    }

    // ---- reads

    @Override
    public LogIterator scan(byte[] key, SeqRange range) {
        return scan(
                ScanRequest.newBuilder().setOrder(ScanOrder.KEY).setKey(Wire.bytes(key)), range);
    }

    @Override
    public LogIterator scan(KeyRange keys, SeqRange range) {
        return scan(
                ScanRequest.newBuilder().setOrder(ScanOrder.KEY_RANGE).setKeys(Wire.keys(keys)),
                range);
    }

    @Override
    public LogIterator scanBySequence(KeyRange keys, SeqRange range) {
        return scan(
                ScanRequest.newBuilder().setOrder(ScanOrder.SEQUENCE).setKeys(Wire.keys(keys)),
                range);
    }

    private LogIterator scan(ScanRequest.Builder request, SeqRange range) {
        checkOpen();
        ScanRequest first = request.setRange(Wire.range(range)).build();
        // A resumed scan reads below the frontier the first stream read below: the same state.
        long[] frontier = {range.to()};
        return entries(
                last ->
                        connection
                                .streaming()
                                .scan(
                                        last == null
                                                ? first
                                                : first.toBuilder()
                                                        .setRange(
                                                                Wire.range(range.upTo(frontier[0])))
                                                        .setResume(true)
                                                        .setResumeKey(Wire.bytes(last.key()))
                                                        .setResumeSequence(last.sequence())
                                                        .build()),
                batch -> {
                    if (batch.getFrontier() > 0) {
                        frontier[0] = Math.min(frontier[0], batch.getFrontier());
                    }
                });
    }

    /**
     * Entries of the keys from sequence {@code from} on, in sequence order, pushed by the server as
     * they are appended: {@code hasNext} waits for the next one. Never ends until closed.
     */
    public LogIterator tail(KeyRange keys, long from) {
        checkOpen();
        return entries(
                last ->
                        connection
                                .streaming()
                                .tail(
                                        TailRequest.newBuilder()
                                                .setKeys(Wire.keys(keys))
                                                .setFrom(last == null ? from : last.sequence() + 1)
                                                .build()),
                batch -> {});
    }

    private LogIterator entries(
            java.util.function.Function<LogEntry, Iterator<EntryBatch>> open,
            java.util.function.Consumer<EntryBatch> onBatch) {
        ResumingStream<EntryBatch, LogEntry> s =
                new ResumingStream<>(
                        connection,
                        open,
                        (batch, out) -> {
                            onBatch.accept(batch);
                            Packed.readEntries(batch.getEntries(), out);
                        });
        return new LogIterator() {
            @Override
            public boolean hasNext() {
                return s.hasNext();
            }

            @Override
            public LogEntry next() {
                return s.next();
            }

            @Override
            public int nextBatch(Collection<? super LogEntry> out, int max) {
                return s.nextBatch(out, max);
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    @Override
    public Optional<LogEntry> latest(byte[] key) {
        return latest(LatestRequest.newBuilder().setKey(Wire.bytes(key)).build());
    }

    @Override
    public Optional<LogEntry> latestBefore(byte[] key, long sequence) {
        return latest(
                LatestRequest.newBuilder().setKey(Wire.bytes(key)).setBefore(sequence).build());
    }

    private Optional<LogEntry> latest(LatestRequest request) {
        checkOpen();
        LatestReply r = connection.call(() -> connection.blocking().latest(request));
        return r.getPresent() ? Optional.of(Wire.entry(r.getEntry())) : Optional.empty();
    }

    @Override
    public List<Segment> segments() {
        List<Segment> out = new ArrayList<>();
        for (SegmentMsg s : segmentMessages()) {
            out.add(Wire.segment(s));
        }
        return out;
    }

    private List<SegmentMsg> segmentMessages() {
        checkOpen();
        List<SegmentMsg> fetched =
                connection
                        .call(
                                () ->
                                        connection
                                                .blocking()
                                                .segments(SegmentsRequest.getDefaultInstance()))
                        .getSegmentsList();
        lastSegments = fetched;
        return fetched;
    }

    @Override
    public KeyIterator keys(KeyRange range) {
        return keys(KeysRequest.newBuilder().setKeys(Wire.keys(range)).build(), range);
    }

    @Override
    public KeyIterator keys(List<Segment> segments, KeyRange range) {
        KeysRequest.Builder b = KeysRequest.newBuilder().setKeys(Wire.keys(range));
        for (Segment s : segments) {
            b.addSegmentIds(s.id());
        }
        if (segments.isEmpty()) {
            return emptyKeys();
        }
        return keys(b.build(), range);
    }

    /** Keys stream in order: a broken listing goes on after the last key it took in. */
    private KeyIterator keys(KeysRequest first, KeyRange range) {
        checkOpen();
        ResumingStream<KeyBatch, byte[]> s =
                new ResumingStream<>(
                        connection,
                        last ->
                                connection
                                        .streaming()
                                        .keys(
                                                last == null
                                                        ? first
                                                        : first.toBuilder()
                                                                .setKeys(
                                                                        Wire.keys(
                                                                                KeyRange.between(
                                                                                        Arrays
                                                                                                .copyOf(
                                                                                                        last,
                                                                                                        last.length
                                                                                                                + 1),
                                                                                        range
                                                                                                .end())))
                                                                .build()),
                        (batch, out) -> batch.getKeysList().forEach(k -> out.add(k.toByteArray())));
        return new KeyIterator() {
            @Override
            public boolean hasNext() {
                return s.hasNext();
            }

            @Override
            public byte[] next() {
                return s.next();
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    private static KeyIterator emptyKeys() {
        return new KeyIterator() {
            @Override
            public boolean hasNext() {
                return false;
            }

            @Override
            public byte[] next() {
                throw new java.util.NoSuchElementException();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public long count(byte[] key, SeqRange range) {
        return count(CountRequest.newBuilder().setKey(Wire.bytes(key)).setRange(Wire.range(range)));
    }

    @Override
    public long count(KeyRange keys, SeqRange range) {
        return count(
                CountRequest.newBuilder().setKeys(Wire.keys(keys)).setRange(Wire.range(range)));
    }

    @Override
    public long[] countRanges(List<KeyRange> ranges, List<Long> from, long to) {
        checkOpen();
        LogRead.checkCountRanges(ranges, from);
        io.lsmlog.client.proto.CountRangesRequest.Builder b =
                io.lsmlog.client.proto.CountRangesRequest.newBuilder().addAllFrom(from).setTo(to);
        for (KeyRange r : ranges) {
            b.addKeys(Wire.keys(r));
        }
        io.lsmlog.client.proto.CountRangesRequest request = b.build();
        List<Long> counts =
                connection.call(() -> connection.blocking().countRanges(request)).getCountsList();
        long[] out = new long[counts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }

    private long count(CountRequest.Builder request) {
        checkOpen();
        CountRequest r = request.build();
        return connection.call(() -> connection.blocking().count(r)).getCount();
    }

    private StatsReply stats() {
        checkOpen();
        return connection.call(
                () -> connection.blocking().stats(StatsRequest.getDefaultInstance()));
    }

    @Override
    public long nextSequence() {
        return stats().getNextSequence();
    }

    @Override
    public long firstSequence() {
        return stats().getFirstSequence();
    }

    @Override
    public CompletableFuture<Long> awaitSequence(long sequence) {
        checkOpen();
        CompletableFuture<Long> result = new CompletableFuture<>();
        awaitRound(sequence, result);
        return result;
    }

    /** One server-side wait of a bounded time; asked again until reached or the client closes. */
    private void awaitRound(long sequence, CompletableFuture<Long> result) {
        if (closed) {
            result.completeExceptionally(
                    new LogClosedException(connection.address() + ": the client is closed"));
            return;
        }
        connection
                .async()
                .awaitSequence(
                        AwaitRequest.newBuilder()
                                .setSequence(sequence)
                                .setTimeoutMs(AWAIT_ROUND_MS)
                                .build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(AwaitReply r) {
                                if (r.getReached()) {
                                    result.complete(r.getNextSequence());
                                } else {
                                    awaitRound(sequence, result);
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                result.completeExceptionally(connection.failure(t));
                            }

                            @Override
                            public void onCompleted() {}
                        });
    }

    @Override
    public boolean awaitSequence(long sequence, Duration timeout) throws InterruptedException {
        checkOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long leftMs = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            long roundMs = Math.min(leftMs, AWAIT_ROUND_MS);
            AwaitReply r =
                    connection.call(
                            () ->
                                    connection
                                            .streaming()
                                            .withDeadlineAfter(
                                                    roundMs
                                                            + connection
                                                                    .config()
                                                                    .retryTime()
                                                                    .toMillis(),
                                                    java.util.concurrent.TimeUnit.MILLISECONDS)
                                            .awaitSequence(
                                                    AwaitRequest.newBuilder()
                                                            .setSequence(sequence)
                                                            .setTimeoutMs(roundMs)
                                                            .build()));
            if (r.getReached()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    public long sequenceAt(long timestamp) {
        checkOpen();
        return connection
                .call(
                        () ->
                                connection
                                        .blocking()
                                        .sequenceAt(
                                                SequenceAtRequest.newBuilder()
                                                        .setTimestamp(timestamp)
                                                        .build()))
                .getSequence();
    }

    /** From the sizes the last {@link #segments()} brought, or asked for if it did not list it. */
    @Override
    public long approximateBytes(Segment segment) {
        for (SegmentMsg s : lastSegments) {
            if (s.getId() == segment.id() && s.getStartSequence() == segment.startSequence()) {
                return s.getApproximateBytes();
            }
        }
        for (SegmentMsg s : segmentMessages()) {
            if (s.getId() == segment.id()) {
                return s.getApproximateBytes();
            }
        }
        return 0;
    }

    @Override
    public long diskBytes() {
        return stats().getDiskBytes();
    }

    private void checkOpen() {
        if (closed) {
            throw new LogClosedException(connection.address() + ": the client is closed");
        }
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof LogException le) {
                throw le;
            }
            throw new LogException("append failed", c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted while appending", e);
        }
    }

    /** Waits for the appends in flight (up to the retry time), then closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            appends.drained()
                    .get(
                            connection.config().retryTime().toMillis(),
                            java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // what is still in flight fails with LogUnavailableException when the channel goes
        }
        appends.close();
        connection.close();
    }
}
