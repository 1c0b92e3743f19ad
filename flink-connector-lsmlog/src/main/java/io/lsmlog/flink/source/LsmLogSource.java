package io.lsmlog.flink.source;

import io.lsmlog.GroupDescription;
import io.lsmlog.InvalidArgumentException;
import io.lsmlog.KeyRange;
import io.lsmlog.LogLockedException;
import io.lsmlog.LogRead;
import io.lsmlog.LogWrite;
import io.lsmlog.flink.internal.LogConfigHolder;
import io.lsmlog.flink.internal.SharedLogs;
import io.lsmlog.flink.source.enumerator.LsmLogEnumState;
import io.lsmlog.flink.source.enumerator.LsmLogEnumStateSerializer;
import io.lsmlog.flink.source.enumerator.LsmLogSplitEnumerator;
import io.lsmlog.flink.source.enumerator.RangeStart;
import io.lsmlog.flink.source.reader.LsmLogSourceReader;
import io.lsmlog.flink.source.split.LsmLogSplit;
import io.lsmlog.flink.source.split.LsmLogSplitSerializer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A Flink source reading an lsmlog log: splits are (segment, key range); sealed segments are read
 * in key order, the newest while it grows. Build with {@link #builder()}:
 *
 * <pre>{@code
 * env.fromSource(LsmLogSource.<String>builder()
 *         .setPath("data/orders")
 *         .setKeyPrefix("customer-")
 *         .setStartingPosition(LsmLogPosition.earliest())
 *         .setDeserializer(LsmLogDeserializer.valueAsString())
 *         .build(), WatermarkStrategy.noWatermarks(), "orders");
 * }</pre>
 */
public final class LsmLogSource<T>
        implements Source<T, LsmLogSplit, LsmLogEnumState>, ResultTypeQueryable<T> {
    private final LogConfigHolder log;
    private final List<byte[][]> selection; // [start, end] pairs; KeyRange is not Serializable
    private final LsmLogPosition start;
    private final LsmLogPosition stop; // null: unbounded
    private final LsmLogDeserializer<T> deserializer;
    private final long targetSplitBytes;
    private final long discoveryIntervalMillis;
    private final long recordLimit; // per reader
    private final double rateLimit; // records per second per reader; 0: none
    private final long minSequence;
    private final long maxSequence; // applies to bounded sources
    @Nullable private final String commitToGroup;

    LsmLogSource(
            LogConfigHolder log,
            List<KeyRange> selection,
            LsmLogPosition start,
            LsmLogPosition stop,
            LsmLogDeserializer<T> deserializer,
            long targetSplitBytes,
            long discoveryIntervalMillis,
            long recordLimit,
            double rateLimit,
            long minSequence,
            long maxSequence,
            @Nullable String commitToGroup) {
        this.log = log;
        this.selection = new ArrayList<>();
        for (KeyRange r : selection) {
            this.selection.add(new byte[][] {r.start(), r.end()});
        }
        this.start = start;
        this.stop = stop;
        this.deserializer = deserializer;
        this.targetSplitBytes = targetSplitBytes;
        this.discoveryIntervalMillis = discoveryIntervalMillis;
        this.recordLimit = recordLimit;
        this.rateLimit = rateLimit;
        this.minSequence = minSequence;
        this.maxSequence = maxSequence;
        this.commitToGroup = commitToGroup;
    }

    public static <T> LsmLogSourceBuilder<T> builder() {
        return new LsmLogSourceBuilder<>();
    }

    @Override
    public Boundedness getBoundedness() {
        return stop == null ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    private List<KeyRange> keyRanges() {
        List<KeyRange> out = new ArrayList<>();
        for (byte[][] r : selection) {
            out.add(new KeyRange(r[0], r[1]));
        }
        return out;
    }

    private LsmLogSplitEnumerator.Settings settings() {
        return new LsmLogSplitEnumerator.Settings(
                keyRanges(),
                targetSplitBytes,
                discoveryIntervalMillis,
                commitToGroup == null
                        ? null
                        : new LsmLogSplitEnumerator.GroupCommitSettings(commitToGroup, log));
    }

    @Override
    public SplitEnumerator<LsmLogSplit, LsmLogEnumState> createEnumerator(
            SplitEnumeratorContext<LsmLogSplit> context) {
        SharedLogs.Lease<LogRead> lease = SharedLogs.reader(log);
        try {
            LogRead reader = lease.get();
            reader.refresh();
            List<RangeStart> starts =
                    start.kind() == LsmLogPosition.Kind.GROUP ? groupStarts() : List.of();
            long from =
                    Math.max(
                            minSequence,
                            starts.isEmpty()
                                    ? start.resolve(reader)
                                    : starts.stream()
                                            .mapToLong(RangeStart::position)
                                            .min()
                                            .getAsLong());
            long to = stop == null ? Long.MAX_VALUE : Math.min(maxSequence, stop.resolve(reader));
            LsmLogEnumState initial =
                    new LsmLogEnumState(
                            from,
                            Math.max(from, to),
                            0,
                            false,
                            List.of(),
                            List.of(),
                            new HashSet<>(),
                            starts);
            return new LsmLogSplitEnumerator(context, lease, settings(), initial);
        } catch (RuntimeException e) {
            closeQuietly(lease);
            throw e;
        }
    }

    /**
     * The committed positions of the start's group, one per range (empty: no such group, start at
     * the fallback). Groups live with the log's writer: the log's server, or a writer opened here.
     */
    private List<RangeStart> groupStarts() {
        try (SharedLogs.Lease<LogWrite> writer = SharedLogs.writer(log)) {
            List<RangeStart> out = new ArrayList<>();
            writer.get()
                    .groups()
                    .describe(start.group())
                    .ifPresent(
                            d -> {
                                for (GroupDescription.Range r : d.ranges()) {
                                    out.add(new RangeStart(r.keys(), r.position()));
                                }
                            });
            return out;
        } catch (LogLockedException e) {
            throw new InvalidArgumentException(
                    "starting from reader group '"
                            + start.group()
                            + "' needs the log's groups, kept by its writer, and another process"
                            + " writes it: read it through its server (lsmlog://…) ("
                            + e.getMessage()
                            + ")");
        } catch (InvalidArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new io.lsmlog.LogException(
                    "reading reader group '" + start.group() + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public SplitEnumerator<LsmLogSplit, LsmLogEnumState> restoreEnumerator(
            SplitEnumeratorContext<LsmLogSplit> context, LsmLogEnumState state) {
        return new LsmLogSplitEnumerator(context, SharedLogs.reader(log), settings(), state);
    }

    @Override
    public SimpleVersionedSerializer<LsmLogSplit> getSplitSerializer() {
        return new LsmLogSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<LsmLogEnumState> getEnumeratorCheckpointSerializer() {
        return new LsmLogEnumStateSerializer();
    }

    @Override
    public SourceReader<T, LsmLogSplit> createReader(SourceReaderContext context) throws Exception {
        SharedLogs.Lease<LogRead> lease = SharedLogs.reader(log);
        try {
            openDeserializer(context, lease.get());
        } catch (Exception e) {
            closeQuietly(lease);
            throw e;
        }
        return new LsmLogSourceReader<>(
                lease,
                deserializer,
                recordLimit,
                rateLimit > 0
                        ? RateLimiterStrategy.<LsmLogSplit>perSecond(rateLimit).createRateLimiter(1)
                        : null,
                commitToGroup != null,
                new Configuration(),
                context);
    }

    private void openDeserializer(SourceReaderContext context, LogRead reader) throws Exception {
        deserializer.open(
                new DeserializationSchema.InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return context.metricGroup().addGroup("deserializer");
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return context.getUserCodeClassLoader();
                    }
                },
                reader);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing
        }
    }
}
