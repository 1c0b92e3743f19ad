package io.lsmlog;

import java.nio.file.Path;

/**
 * Another writer holds the log directory. A log has exactly one writer; open a {@link LogReader} to
 * read a log that another process writes.
 */
public class LogLockedException extends LogException {
    private final Path directory;

    public LogLockedException(Path directory, String detail, Throwable cause) {
        super(
                "log directory "
                        + directory
                        + " is locked by another writer ("
                        + detail
                        + "); a log has a single writer: use LogReader for read-only access",
                cause);
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
