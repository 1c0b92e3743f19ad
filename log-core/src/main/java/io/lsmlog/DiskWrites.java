package io.lsmlog;

/**
 * Bytes written to disk since the log was opened, from RocksDB's statistics ({@link
 * LogConfig.Builder#statistics(boolean)}) and the sealer's own count: what write amplification is
 * computed from.
 *
 * @param walBytes bytes written to write-ahead log files
 * @param flushBytes bytes of SST files written by memtable flushes
 * @param compactionBytes bytes of SST files written by compactions
 * @param sealBytes bytes of the SST files the sealer wrote (sealed segments' chunks), which
 *     RocksDB's statistics do not see
 */
public record DiskWrites(long walBytes, long flushBytes, long compactionBytes, long sealBytes) {
    public long total() {
        return walBytes + flushBytes + compactionBytes + sealBytes;
    }

    /** Total bytes written to disk per byte of user data ({@code userBytes}: keys + values). */
    public double amplification(long userBytes) {
        if (userBytes <= 0) {
            throw new InvalidArgumentException("userBytes must be positive, got " + userBytes);
        }
        return (double) total() / userBytes;
    }
}
