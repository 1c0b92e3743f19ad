package io.lsmlog;

import java.util.Collection;
import java.util.Iterator;

/**
 * Entries of a scan. Holds a consistent snapshot of the log and native resources until closed; it
 * closes itself when exhausted. Not thread-safe.
 */
public interface LogIterator extends Iterator<LogEntry>, AutoCloseable {
    /**
     * The bulk path: moves up to {@code max} entries into {@code out} and returns how many; 0 only
     * when the scan is exhausted. The scans hand over what they decoded from their rows in one
     * call, so a consumer that takes entries in batches (the Flink source) pays no per-entry
     * iterator overhead.
     */
    default int nextBatch(Collection<? super LogEntry> out, int max) {
        int n = 0;
        while (n < max && hasNext()) {
            out.add(next());
            n++;
        }
        return n;
    }

    @Override
    void close();
}
