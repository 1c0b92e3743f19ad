package io.lsmlog.read;

import io.lsmlog.LogClosedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps native RocksDB handles from being used after the database closed (which would crash the
 * JVM): reads run inside {@link #enter()}/{@link #exit()}, close waits for them, then closes every
 * iterator still open.
 */
public final class Guard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Set<Releasable> open = ConcurrentHashMap.newKeySet();

    /** Something holding native handles of the store. */
    interface Releasable {
        /** Closes the native handles; called with no read running. */
        void releaseNatives();
    }

    private final String what;
    private volatile boolean closed;

    public Guard(String what) {
        this.what = what;
    }

    public void enter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new LogClosedException(what + " is closed");
        }
    }

    /** Like {@link #enter()} but returns false instead of throwing when closed. */
    public boolean tryEnter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            return false;
        }
        return true;
    }

    public void exit() {
        lock.readLock().unlock();
    }

    public boolean isClosed() {
        return closed;
    }

    public void checkOpen() {
        if (closed) {
            throw new LogClosedException(what + " is closed");
        }
    }

    void register(Releasable resource) {
        open.add(resource);
    }

    void unregister(Releasable resource) {
        open.remove(resource);
    }

    /**
     * Runs {@code action} with no read running (new reads wait): for changes of what reads see that
     * must look atomic to them, such as a reader catching up with the writer.
     */
    public void exclusive(Runnable action) {
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new LogClosedException(what + " is closed");
            }
            action.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Blocks new reads, waits for running ones, closes open iterators; then runs closeStore. */
    public void close(Runnable closeStore) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Releasable r : open) {
                r.releaseNatives();
            }
            open.clear();
            closeStore.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
