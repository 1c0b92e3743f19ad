package io.lsmlog;

/** Stored data could not be decoded or RocksDB reported corruption. The log was not modified. */
public class LogCorruptedException extends LogException {
    public LogCorruptedException(String message) {
        super(message);
    }

    public LogCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
