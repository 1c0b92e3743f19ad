package io.lsmlog;

import java.util.Iterator;

/** Distinct keys in unsigned byte order. Closes itself when exhausted. Not thread-safe. */
public interface KeyIterator extends Iterator<byte[]>, AutoCloseable {
    @Override
    void close();
}
