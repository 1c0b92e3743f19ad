package io.lsmlog.flink.sink;

import io.lsmlog.InvalidArgumentException;
import io.lsmlog.LogConfig;
import io.lsmlog.client.LogClient;
import io.lsmlog.flink.internal.LogConfigHolder;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Builds an {@link LsmLogSink}; {@link #build()} names any setting at fault. */
public final class LsmLogSinkBuilder<T> {
    private LogConfig logConfig;
    private String uri;
    private String token;
    private LsmLogRecordSerializer<T> serializer;
    private DeliveryGuarantee guarantee = DeliveryGuarantee.AT_LEAST_ONCE;
    private String sinkId;
    private int batchMaxRecords = 1000;
    private long batchMaxBytes = 4L << 20;
    private Duration batchMaxDelay = Duration.ofMillis(100);
    private int maxInFlightBatches = 4;

    LsmLogSinkBuilder() {}

    /** The log directory (created with default settings if missing). */
    public LsmLogSinkBuilder<T> setPath(String path) {
        if (LogClient.isRemote(path)) {
            return setUri(path);
        }
        return setLogConfig(LogConfig.builder(Path.of(path)).build());
    }

    /**
     * The log and its settings (segment rolling, retention, sync) used when the sink creates it.
     */
    public LsmLogSinkBuilder<T> setLogConfig(LogConfig config) {
        this.logConfig = config;
        this.uri = null;
        return this;
    }

    /**
     * A log served by {@code lsmlog serve} ({@code lsmlog://host:port}, {@code lsmlogs://} for
     * TLS): subtasks in any number of TaskManagers reach it through the server.
     */
    public LsmLogSinkBuilder<T> setUri(String uri) {
        if (!LogClient.isRemote(uri)) {
            throw new InvalidArgumentException(
                    "LsmLogSink: a log server URI looks like lsmlog://host:port, got " + uri);
        }
        this.uri = uri;
        this.logConfig = null;
        return this;
    }

    /** The log as the table layer carries it: a directory with its settings, or a server. */
    public LsmLogSinkBuilder<T> setLog(LogConfigHolder log) {
        if (log.isRemote()) {
            return setUri(log.directory()).setToken(log.token());
        }
        return setLogConfig(log.toConfig());
    }

    /** The bearer token for a server that needs one. */
    public LsmLogSinkBuilder<T> setToken(String token) {
        this.token = token;
        return this;
    }

    public LsmLogSinkBuilder<T> setSerializer(LsmLogRecordSerializer<T> serializer) {
        this.serializer = serializer;
        return this;
    }

    public LsmLogSinkBuilder<T> setDeliveryGuarantee(DeliveryGuarantee guarantee) {
        this.guarantee = guarantee;
        return this;
    }

    /**
     * Identifies this sink's staged files and commit markers in the log; required for EXACTLY_ONCE,
     * stable across restarts, unique among the sinks writing one log.
     */
    public LsmLogSinkBuilder<T> setSinkId(String sinkId) {
        this.sinkId = sinkId;
        return this;
    }

    /** Records per append (AT_LEAST_ONCE / NONE); default 1000. */
    public LsmLogSinkBuilder<T> setBatchMaxRecords(int records) {
        this.batchMaxRecords = records;
        return this;
    }

    /** Key+value bytes per append; default 4 MiB. */
    public LsmLogSinkBuilder<T> setBatchMaxBytes(long bytes) {
        this.batchMaxBytes = bytes;
        return this;
    }

    /** The longest a record waits in a partial batch; default 100 ms. */
    public LsmLogSinkBuilder<T> setBatchMaxDelay(Duration delay) {
        this.batchMaxDelay = delay;
        return this;
    }

    /** Appends in flight per writer before it waits; default 4. */
    public LsmLogSinkBuilder<T> setMaxInFlightBatches(int batches) {
        this.maxInFlightBatches = batches;
        return this;
    }

    public LsmLogSink<T> build() {
        if (logConfig == null && uri == null) {
            throw new InvalidArgumentException(
                    "LsmLogSink: setPath(...), setUri(...) or setLogConfig(...) is required");
        }
        if (serializer == null) {
            throw new InvalidArgumentException("LsmLogSink: setSerializer(...) is required");
        }
        if (guarantee == null) {
            throw new InvalidArgumentException(
                    "LsmLogSink: deliveryGuarantee must be one of NONE, AT_LEAST_ONCE, EXACTLY_ONCE");
        }
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE && (sinkId == null || sinkId.isBlank())) {
            throw new InvalidArgumentException(
                    "LsmLogSink: EXACTLY_ONCE needs setSinkId(...): a name stable across restarts and"
                            + " unique among the sinks writing "
                            + (uri != null ? uri : logConfig.directory()));
        }
        if (batchMaxRecords < 1 || batchMaxRecords > 1_000_000) {
            throw new InvalidArgumentException(
                    "LsmLogSink: batchMaxRecords must be in [1, 1000000], got " + batchMaxRecords);
        }
        if (batchMaxBytes < 1 || batchMaxBytes > (256L << 20)) {
            throw new InvalidArgumentException(
                    "LsmLogSink: batchMaxBytes must be in [1, 268435456], got " + batchMaxBytes);
        }
        if (batchMaxDelay == null || batchMaxDelay.toMillis() < 1) {
            throw new InvalidArgumentException(
                    "LsmLogSink: batchMaxDelay must be at least 1 ms, got " + batchMaxDelay);
        }
        if (maxInFlightBatches < 1) {
            throw new InvalidArgumentException(
                    "LsmLogSink: maxInFlightBatches must be >= 1, got " + maxInFlightBatches);
        }
        return new LsmLogSink<>(
                new LsmLogSinkConfig(
                        uri != null
                                ? LogConfigHolder.remote(uri, token)
                                : LogConfigHolder.of(logConfig),
                        guarantee,
                        sinkId == null ? "default" : sinkId,
                        batchMaxRecords,
                        batchMaxBytes,
                        batchMaxDelay,
                        maxInFlightBatches),
                serializer);
    }
}
