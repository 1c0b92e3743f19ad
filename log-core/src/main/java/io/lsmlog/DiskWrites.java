package io.lsmlog;

/**
 * Bytes RocksDB wrote to disk since the log was opened, from its statistics ({@link
 * LogConfig.Builder#statistics(boolean)}): what write amplification is computed from.
 *
 * @param walBytes bytes written to write-ahead log files
 * @param flushBytes bytes of SST files written by memtable flushes
 * @param compactionBytes bytes of SST files written by compactions
 */
public record DiskWrites(long walBytes, long flushBytes, long compactionBytes) {
    public long total() {
        return walBytes + flushBytes + compactionBytes;
    }

    /** Total bytes written to disk per byte of user data ({@code userBytes}: keys + values). */
    public double amplification(long userBytes) {
        if (userBytes <= 0) {
            throw new InvalidArgumentException("userBytes must be positive, got " + userBytes);
        }
        return (double) total() / userBytes;
    }
}
