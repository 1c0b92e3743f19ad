package io.lsmlog;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Configuration of a log. Build with {@link #builder(Path)}; {@code build()} validates every value
 * and names the one at fault.
 *
 * @param directory where the log lives (created by {@link Log#open} if missing)
 * @param segmentRollInterval a new segment starts when the current one is older (null: never)
 * @param segmentRollBytes a new segment starts when the current one holds more key+value bytes
 * @param sync fsync the write-ahead log on every append: an acknowledged append survives power
 *     loss. Without it, an acknowledged append survives a process crash but the last moments before
 *     a machine crash can be lost (call {@link Log#flush()} for a durability point).
 * @param writeQueueCapacity appends waiting for the writer thread before callers block
 * @param blockCacheBytes RocksDB block cache shared by all column families
 * @param writeBufferBytes RocksDB memtable size of the entries column family; at least about 1.1 x
 *     {@code segmentRollBytes} keeps the open segment's runs in memory until it seals, so each
 *     entry is written twice (WAL + its sealed chunk)
 * @param retentionMaxAge drop sealed segments whose newest entry is older (null: keep)
 * @param retentionMaxBytes drop the oldest sealed segments while the log is larger (0: keep)
 * @param retentionCheckInterval how often the writer applies retention
 * @param readerRefreshInterval how often a {@link LogReader} catches up with the writer
 * @param statistics collect RocksDB statistics (bytes written, for write amplification)
 * @param appendLinger how long the writer may wait for more pipelined appends ({@link
 *     Log#appendAsync}) before it commits a group, so that a key's entries of several appends share
 *     one run (like Kafka's {@code linger.ms}); blocking {@link Log#append} never waits. Zero:
 *     commit what is queued at once.
 */
public record LogConfig(
        Path directory,
        Duration segmentRollInterval,
        long segmentRollBytes,
        boolean sync,
        int writeQueueCapacity,
        long blockCacheBytes,
        long writeBufferBytes,
        Duration retentionMaxAge,
        long retentionMaxBytes,
        Duration retentionCheckInterval,
        Duration readerRefreshInterval,
        boolean statistics,
        Duration appendLinger) {

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(directory);
        b.segmentRollInterval = segmentRollInterval;
        b.segmentRollBytes = segmentRollBytes;
        b.sync = sync;
        b.writeQueueCapacity = writeQueueCapacity;
        b.blockCacheBytes = blockCacheBytes;
        b.writeBufferBytes = writeBufferBytes;
        b.retentionMaxAge = retentionMaxAge;
        b.retentionMaxBytes = retentionMaxBytes;
        b.retentionCheckInterval = retentionCheckInterval;
        b.readerRefreshInterval = readerRefreshInterval;
        b.statistics = statistics;
        b.appendLinger = appendLinger;
        return b;
    }

    public boolean retentionEnabled() {
        return retentionMaxAge != null || retentionMaxBytes > 0;
    }

    public static final class Builder {
        private Path directory;
        private Duration segmentRollInterval = Duration.ofHours(1);
        private long segmentRollBytes = 64L << 20;
        private boolean sync = false;
        private int writeQueueCapacity = 1024;
        private long blockCacheBytes = 64L << 20;
        private long writeBufferBytes = 80L << 20; // >= 1.25 x segmentRollBytes: see Store
        private Duration retentionMaxAge = null;
        private long retentionMaxBytes = 0;
        private Duration retentionCheckInterval = Duration.ofSeconds(30);
        private Duration readerRefreshInterval = Duration.ofMillis(100);
        private boolean statistics = false;
        private Duration appendLinger = Duration.ZERO;

        private Builder(Path directory) {
            this.directory = directory;
        }

        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        public Builder segmentRollInterval(Duration interval) {
            this.segmentRollInterval = interval;
            return this;
        }

        public Builder segmentRollBytes(long bytes) {
            this.segmentRollBytes = bytes;
            return this;
        }

        public Builder sync(boolean sync) {
            this.sync = sync;
            return this;
        }

        public Builder writeQueueCapacity(int capacity) {
            this.writeQueueCapacity = capacity;
            return this;
        }

        public Builder blockCacheBytes(long bytes) {
            this.blockCacheBytes = bytes;
            return this;
        }

        public Builder writeBufferBytes(long bytes) {
            this.writeBufferBytes = bytes;
            return this;
        }

        public Builder retentionMaxAge(Duration maxAge) {
            this.retentionMaxAge = maxAge;
            return this;
        }

        public Builder retentionMaxBytes(long bytes) {
            this.retentionMaxBytes = bytes;
            return this;
        }

        public Builder retentionCheckInterval(Duration interval) {
            this.retentionCheckInterval = interval;
            return this;
        }

        public Builder readerRefreshInterval(Duration interval) {
            this.readerRefreshInterval = interval;
            return this;
        }

        public Builder statistics(boolean statistics) {
            this.statistics = statistics;
            return this;
        }

        public Builder appendLinger(Duration linger) {
            this.appendLinger = linger;
            return this;
        }

        public LogConfig build() {
            if (directory == null) {
                throw new InvalidArgumentException("directory must be set");
            }
            if (segmentRollInterval != null && segmentRollInterval.toMillis() < 1) {
                throw new InvalidArgumentException(
                        "segmentRollInterval must be at least 1 ms (or null for never), got "
                                + segmentRollInterval);
            }
            if (segmentRollBytes < 1024) {
                throw new InvalidArgumentException(
                        "segmentRollBytes must be at least 1024 (use Long.MAX_VALUE for never), got "
                                + segmentRollBytes);
            }
            if (writeQueueCapacity < 1 || writeQueueCapacity > 1_000_000) {
                throw new InvalidArgumentException(
                        "writeQueueCapacity must be in [1, 1000000], got " + writeQueueCapacity);
            }
            if (blockCacheBytes < 0) {
                throw new InvalidArgumentException(
                        "blockCacheBytes must be >= 0, got " + blockCacheBytes);
            }
            if (writeBufferBytes < (1 << 16)) {
                throw new InvalidArgumentException(
                        "writeBufferBytes must be at least 65536, got " + writeBufferBytes);
            }
            if (retentionMaxAge != null
                    && (retentionMaxAge.isNegative() || retentionMaxAge.isZero())) {
                throw new InvalidArgumentException(
                        "retentionMaxAge must be positive (or null to keep), got "
                                + retentionMaxAge);
            }
            if (retentionMaxBytes < 0) {
                throw new InvalidArgumentException(
                        "retentionMaxBytes must be >= 0 (0 keeps everything), got "
                                + retentionMaxBytes);
            }
            boolean retention = retentionMaxAge != null || retentionMaxBytes > 0;
            if (retention && segmentRollInterval == null && segmentRollBytes == Long.MAX_VALUE) {
                throw new InvalidArgumentException(
                        "retention drops whole segments, so it needs segments that roll: set"
                                + " segmentRollInterval or segmentRollBytes");
            }
            requirePositive("retentionCheckInterval", retentionCheckInterval);
            requirePositive("readerRefreshInterval", readerRefreshInterval);
            if (appendLinger == null
                    || appendLinger.isNegative()
                    || appendLinger.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new InvalidArgumentException(
                        "appendLinger must be between 0 and 1 s, got " + appendLinger);
            }
            return new LogConfig(
                    directory.toAbsolutePath().normalize(),
                    segmentRollInterval,
                    segmentRollBytes,
                    sync,
                    writeQueueCapacity,
                    blockCacheBytes,
                    writeBufferBytes,
                    retentionMaxAge,
                    retentionMaxBytes,
                    retentionCheckInterval,
                    readerRefreshInterval,
                    statistics,
                    appendLinger);
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.toMillis() < 1) {
                throw new InvalidArgumentException(name + " must be at least 1 ms, got " + d);
            }
        }
    }
}
