package io.lsmlog.flink.internal;

import io.lsmlog.LogConfig;
import io.lsmlog.client.LogClient;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The serializable part of a {@link LogConfig} that a job carries to its tasks (LogConfig holds a
 * Path and is a record; this keeps the wire form explicit and stable). {@code directory} is a
 * directory, or a log server's URI ({@code lsmlog://host:port}): then only {@code token} matters,
 * the server has its own log settings.
 */
public record LogConfigHolder(
        String directory,
        String token,
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
                null,
                c.segmentRollInterval(),
                c.segmentRollBytes(),
                c.sync(),
                c.retentionMaxAge(),
                c.retentionMaxBytes(),
                c.readerRefreshInterval());
    }

    /** A log served by {@code lsmlog serve}, reached through a client. */
    public static LogConfigHolder remote(String uri, String token) {
        LogConfig defaults = LogConfig.builder(Path.of(".")).build();
        return new LogConfigHolder(
                uri,
                token,
                defaults.segmentRollInterval(),
                defaults.segmentRollBytes(),
                defaults.sync(),
                defaults.retentionMaxAge(),
                defaults.retentionMaxBytes(),
                defaults.readerRefreshInterval());
    }

    /** The last part of the directory, or the server's URI: for operator names. */
    public String displayName() {
        return isRemote() ? directory : path().getFileName().toString();
    }

    public boolean isRemote() {
        return LogClient.isRemote(directory);
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
