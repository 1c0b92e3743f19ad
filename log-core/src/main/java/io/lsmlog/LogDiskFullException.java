package io.lsmlog;

/**
 * The disk under the log is full. The append that got this error wrote nothing that will be
 * visible; the appends acknowledged before it are safe. Appends keep failing until space is freed;
 * the log then resumes by itself within seconds (RocksDB retries its background work). If appends
 * still fail once space is back, close the log and open it again.
 */
public class LogDiskFullException extends LogStorageException {
    public LogDiskFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
