package io.lsmlog;

import java.util.Iterator;

/**
 * Entries of a scan. Holds a consistent snapshot of the log and native resources until closed; it
 * closes itself when exhausted. Not thread-safe.
 */
public interface LogIterator extends Iterator<LogEntry>, AutoCloseable {
    @Override
    void close();
}
