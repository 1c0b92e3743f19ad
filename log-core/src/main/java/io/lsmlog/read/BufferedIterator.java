package io.lsmlog.read;

import io.lsmlog.storage.Store;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Base of scans: fills a small buffer under the {@link Guard} (one lock round trip per chunk, not
 * per element), owns its RocksDB iterators and closes them when exhausted or closed.
 */
abstract class BufferedIterator<T> implements Iterator<T>, AutoCloseable, Guard.Releasable {
    static final int CHUNK = 128;

    protected final Store store;
    private final Guard guard;
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    private final List<AutoCloseable> natives = new ArrayList<>();
    private boolean exhausted;
    private boolean closed;

    BufferedIterator(Store store, Guard guard) {
        this.store = store;
        this.guard = guard;
        guard.register(this);
    }

    /** Registers a native handle for closing; call only from the constructor or fill. */
    protected <R extends AutoCloseable> R own(R resource) {
        natives.add(resource);
        return resource;
    }

    /** Closes a handle registered with {@link #own} before the iterator ends. */
    protected void disown(AutoCloseable resource) {
        if (resource != null && natives.remove(resource)) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // native close does not fail in practice
            }
        }
    }

    /**
     * Adds up to about {@link #CHUNK} elements to {@code out}; returns false when there are no more
     * after those added.
     */
    protected abstract boolean fill(ArrayDeque<T> out) throws RocksDBException;

    @Override
    public synchronized boolean hasNext() {
        if (closed) {
            return false;
        }
        if (storeClosed) {
            // The log closed under an open iterator: it stops, buffered entries or not.
            buffer.clear();
            throw new io.lsmlog.LogClosedException(
                    "log " + store.directory + " was closed while this iterator was open");
        }
        while (buffer.isEmpty() && !exhausted) {
            guard.enter();
            try {
                exhausted = !fill(buffer);
            } catch (RocksDBException e) {
                throw Store.translate("read", store.directory, e);
            } finally {
                guard.exit();
            }
            if (exhausted) {
                release();
            }
        }
        return !buffer.isEmpty();
    }

    @Override
    public synchronized T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffer.poll();
    }

    /** Moves up to {@code max} elements into {@code out}; 0 only when there are no more. */
    public synchronized int nextBatch(java.util.Collection<? super T> out, int max) {
        int n = 0;
        while (n < max && hasNext()) {
            while (n < max && !buffer.isEmpty()) {
                out.add(buffer.poll());
                n++;
            }
        }
        return n;
    }

    static void checkStatus(RocksIterator it) throws RocksDBException {
        it.status();
    }

    static void checkStatus(io.lsmlog.storage.RowIterator it) throws RocksDBException {
        it.status();
    }

    private volatile boolean storeClosed;

    @Override
    public void releaseNatives() {
        storeClosed = true;
        releaseHandles();
    }

    private void releaseHandles() {
        for (int i = natives.size() - 1; i >= 0; i--) {
            try {
                natives.get(i).close();
            } catch (Exception ignored) {
                // native close does not fail in practice
            }
        }
        natives.clear();
    }

    /** Closes the native handles (under the guard, so never after the store closed). */
    private void release() {
        if (guard.tryEnter()) {
            try {
                releaseHandles();
            } finally {
                guard.exit();
            }
        }
        guard.unregister(this);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            exhausted = true;
            buffer.clear();
            release();
        }
    }
}
