package io.lsmlog;

/** The storage engine (RocksDB or the file system) failed an operation. */
public class LogStorageException extends LogException {
    public LogStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
