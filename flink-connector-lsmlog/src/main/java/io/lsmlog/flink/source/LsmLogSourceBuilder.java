package io.lsmlog.flink.source;

import io.lsmlog.InvalidArgumentException;
import io.lsmlog.KeyRange;
import io.lsmlog.LogConfig;
import io.lsmlog.client.LogClient;
import io.lsmlog.flink.internal.LogConfigHolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Builds an {@link LsmLogSource}; {@link #build()} names any setting at fault. */
public final class LsmLogSourceBuilder<T> {
    private LogConfig logConfig;
    private String uri;
    private String token;
    private List<KeyRange> selection = List.of(KeyRange.all());
    private LsmLogPosition start = LsmLogPosition.earliest();
    private String commitToGroup;
    private LsmLogPosition stop;
    private LsmLogDeserializer<T> deserializer;
    private long targetSplitBytes = 64L << 20;
    private Duration discoveryInterval = Duration.ofSeconds(1);
    private long recordLimit = Long.MAX_VALUE;
    private double rateLimit;
    private long minSequence = 0;
    private long maxSequence = Long.MAX_VALUE;

    LsmLogSourceBuilder() {}

    public LsmLogSourceBuilder<T> setPath(String path) {
        if (LogClient.isRemote(path)) {
            return setUri(path);
        }
        return setLogConfig(LogConfig.builder(Path.of(path)).build());
    }

    /**
     * The log; its {@code readerRefreshInterval} sets how often readers catch up with the writer.
     */
    public LsmLogSourceBuilder<T> setLogConfig(LogConfig config) {
        this.logConfig = config;
        this.uri = null;
        return this;
    }

    /**
     * A log served by {@code lsmlog serve} ({@code lsmlog://host:port}, {@code lsmlogs://} for
     * TLS): subtasks in any number of TaskManagers reach it through the server.
     */
    public LsmLogSourceBuilder<T> setUri(String uri) {
        if (!LogClient.isRemote(uri)) {
            throw new InvalidArgumentException(
                    "LsmLogSource: a log server URI looks like lsmlog://host:port, got " + uri);
        }
        this.uri = uri;
        this.logConfig = null;
        return this;
    }

    /** The log as the table layer carries it: a directory with its settings, or a server. */
    public LsmLogSourceBuilder<T> setLog(LogConfigHolder log) {
        if (log.isRemote()) {
            return setUri(log.directory()).setToken(log.token());
        }
        return setLogConfig(log.toConfig());
    }

    /** The bearer token for a server that needs one. */
    public LsmLogSourceBuilder<T> setToken(String token) {
        this.token = token;
        return this;
    }

    public LsmLogSourceBuilder<T> allKeys() {
        this.selection = List.of(KeyRange.all());
        return this;
    }

    public LsmLogSourceBuilder<T> setKeyPrefix(String prefix) {
        this.selection = List.of(KeyRange.prefix(prefix));
        return this;
    }

    public LsmLogSourceBuilder<T> setKeyRange(KeyRange range) {
        this.selection = List.of(range);
        return this;
    }

    /** Keys in any of these ranges (kept in order; they should not overlap). */
    public LsmLogSourceBuilder<T> setKeyRanges(List<KeyRange> ranges) {
        List<KeyRange> sorted = new ArrayList<>(ranges);
        sorted.sort(
                (a, b) ->
                        a.start() == null
                                ? -1
                                : b.start() == null
                                        ? 1
                                        : Arrays.compareUnsigned(a.start(), b.start()));
        this.selection = sorted;
        return this;
    }

    /** Exactly these keys (UTF-8). */
    public LsmLogSourceBuilder<T> setKeys(Collection<String> keys) {
        TreeSet<byte[]> sorted = new TreeSet<>(Arrays::compareUnsigned);
        for (String k : keys) {
            sorted.add(k.getBytes(StandardCharsets.UTF_8));
        }
        List<KeyRange> ranges = new ArrayList<>();
        for (byte[] k : sorted) {
            ranges.add(KeyRange.single(k));
        }
        this.selection = ranges;
        return this;
    }

    /** Where to start; default earliest. */
    public LsmLogSourceBuilder<T> setStartingPosition(LsmLogPosition position) {
        this.start = position;
        return this;
    }

    /** Read up to this position, then finish (bounded). */
    public LsmLogSourceBuilder<T> setBounded(LsmLogPosition stopAt) {
        this.stop = stopAt;
        return this;
    }

    /** Follow the log forever (the default). */
    public LsmLogSourceBuilder<T> setUnbounded() {
        this.stop = null;
        return this;
    }

    public LsmLogSourceBuilder<T> setDeserializer(LsmLogDeserializer<T> deserializer) {
        this.deserializer = deserializer;
        return this;
    }

    /** Sealed segments are cut into splits of about this many bytes; default 64 MiB. */
    public LsmLogSourceBuilder<T> setTargetSplitBytes(long bytes) {
        this.targetSplitBytes = bytes;
        return this;
    }

    /** How often the enumerator looks for new segments; default 1 s. */
    public LsmLogSourceBuilder<T> setDiscoveryInterval(Duration interval) {
        this.discoveryInterval = interval;
        return this;
    }

    /**
     * Each reader (parallel subtask) stops after emitting this many records, without decoding the
     * rest: what a SQL {@code LIMIT} is pushed down to. Default: no limit.
     */
    public LsmLogSourceBuilder<T> setRecordLimit(long limit) {
        this.recordLimit = limit;
        return this;
    }

    /**
     * Reads only sequences in {@code [from, to)}, on top of the starting and stopping positions:
     * the start becomes the later of the two, and for a bounded source the stop the earlier. What
     * SQL predicates on the {@code sequence} column are pushed down to. Default: no bounds.
     */
    public LsmLogSourceBuilder<T> setSequenceBounds(long from, long to) {
        this.minSequence = from;
        this.maxSequence = to;
        return this;
    }

    /**
     * At most {@code recordsPerSecond} records per second from each reader (0: no limit), through
     * Flink's {@code RateLimiterStrategy.perSecond}; checkpoints go on as usual.
     */
    public LsmLogSourceBuilder<T> setRateLimit(double recordsPerSecond) {
        this.rateLimit = recordsPerSecond;
        return this;
    }

    /**
     * When a checkpoint completes, commits how far it read to reader group {@code name} (created if
     * absent), as Flink's Kafka source commits offsets: {@code lsmlog groups describe} shows the
     * job's exact lag, and a later job can start from the group ({@link
     * LsmLogPosition#group(String, LsmLogPosition)}). The job's own recovery uses its checkpoints,
     * never the group; a commit that fails is logged and retried at the next checkpoint. Refused by
     * the log while the group has live members ({@code ReaderGroup}s). Default: no group.
     */
    public LsmLogSourceBuilder<T> setCommitToGroup(String name) {
        io.lsmlog.Groups.validateName("a group name", name);
        this.commitToGroup = name;
        return this;
    }

    public LsmLogSource<T> build() {
        if (logConfig == null && uri == null) {
            throw new InvalidArgumentException(
                    "LsmLogSource: setPath(...), setUri(...) or setLogConfig(...) is required");
        }
        if (deserializer == null) {
            throw new InvalidArgumentException("LsmLogSource: setDeserializer(...) is required");
        }
        if (selection.isEmpty()) {
            throw new InvalidArgumentException(
                    "LsmLogSource: the key selection is empty (setKeys with no keys)");
        }
        if (start == null) {
            throw new InvalidArgumentException(
                    "LsmLogSource: startingPosition must be earliest, latest, sequence(n), timestamp(ms) or group(name, fallback)");
        }
        if (stop != null && stop.kind() == LsmLogPosition.Kind.GROUP) {
            throw new InvalidArgumentException(
                    "LsmLogSource: a group's positions are a start, not a stop: " + stop);
        }
        if (stop != null && stop.kind() == LsmLogPosition.Kind.EARLIEST) {
            throw new InvalidArgumentException(
                    "LsmLogSource: a bounded source stops at latest, sequence(n) or timestamp(ms), not earliest");
        }
        if (targetSplitBytes < (1 << 10)) {
            throw new InvalidArgumentException(
                    "LsmLogSource: targetSplitBytes must be at least 1024, got "
                            + targetSplitBytes);
        }
        if (discoveryInterval == null || discoveryInterval.toMillis() < 1) {
            throw new InvalidArgumentException(
                    "LsmLogSource: discoveryInterval must be at least 1 ms, got "
                            + discoveryInterval);
        }
        if (minSequence < 0 || maxSequence < minSequence) {
            throw new InvalidArgumentException(
                    "LsmLogSource: sequence bounds must satisfy 0 <= from <= to, got ["
                            + minSequence
                            + ", "
                            + maxSequence
                            + ")");
        }
        if (rateLimit < 0 || Double.isNaN(rateLimit)) {
            throw new InvalidArgumentException(
                    "LsmLogSource: rateLimit must be > 0 records per second (or 0: none), got "
                            + rateLimit);
        }
        if (recordLimit < 0) {
            throw new InvalidArgumentException(
                    "LsmLogSource: recordLimit must not be negative, got " + recordLimit);
        }
        return new LsmLogSource<>(
                uri != null ? LogConfigHolder.remote(uri, token) : LogConfigHolder.of(logConfig),
                selection,
                start,
                stop,
                deserializer,
                targetSplitBytes,
                discoveryInterval.toMillis(),
                recordLimit,
                rateLimit,
                minSequence,
                maxSequence,
                commitToGroup);
    }
}
