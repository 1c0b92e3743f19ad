package io.lsmlog.flink.internal;

import io.lsmlog.LogConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The serializable part of a {@link LogConfig} that a job carries to its tasks (LogConfig holds a
 * Path and is a record; this keeps the wire form explicit and stable).
 */
public record LogConfigHolder(
        String directory,
        Duration segmentRollInterval,
        long segmentRollBytes,
        boolean sync,
        Duration retentionMaxAge,
        long retentionMaxBytes,
        Duration readerRefreshInterval)
        implements Serializable {

    public static LogConfigHolder of(LogConfig c) {
        return new LogConfigHolder(
                c.directory().toString(),
                c.segmentRollInterval(),
                c.segmentRollBytes(),
                c.sync(),
                c.retentionMaxAge(),
                c.retentionMaxBytes(),
                c.readerRefreshInterval());
    }

    public LogConfig toConfig() {
        return LogConfig.builder(Path.of(directory))
                .segmentRollInterval(segmentRollInterval)
                .segmentRollBytes(segmentRollBytes)
                .sync(sync)
                .retentionMaxAge(retentionMaxAge)
                .retentionMaxBytes(retentionMaxBytes)
                .readerRefreshInterval(readerRefreshInterval)
                .build();
    }

    public Path path() {
        return Path.of(directory);
    }
}
