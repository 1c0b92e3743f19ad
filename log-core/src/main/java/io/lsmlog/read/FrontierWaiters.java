package io.lsmlog.read;

import io.lsmlog.LogClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Futures waiting for the frontier to pass a sequence. Whoever advances the frontier (the writer
 * after an append, a reader after a catch-up) completes them: no polling.
 */
public final class FrontierWaiters {
    private record Waiter(long sequence, CompletableFuture<Long> future) {}

    private final PriorityQueue<Waiter> waiters =
            new PriorityQueue<>((a, b) -> Long.compare(a.sequence, b.sequence));
    private final String what;
    private long frontier;
    private boolean closed;

    public FrontierWaiters(String what, long frontier) {
        this.what = what;
        this.frontier = frontier;
    }

    public CompletableFuture<Long> await(long sequence) {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new LogClosedException(what + " is closed"));
            }
            if (frontier > sequence) {
                return CompletableFuture.completedFuture(frontier);
            }
            CompletableFuture<Long> f = new CompletableFuture<>();
            waiters.add(new Waiter(sequence, f));
            return f;
        }
    }

    public boolean await(long sequence, Duration timeout) throws InterruptedException {
        CompletableFuture<Long> f = await(sequence);
        try {
            f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            synchronized (this) {
                waiters.removeIf(w -> w.future == f);
            }
            return f.isDone() && !f.isCompletedExceptionally();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Publishes a new frontier and completes the waiters it satisfies (outside the lock). */
    public void advance(long newFrontier) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            if (newFrontier <= frontier) {
                return;
            }
            frontier = newFrontier;
            while (!waiters.isEmpty() && waiters.peek().sequence < newFrontier) {
                ready.add(waiters.poll());
            }
        }
        for (Waiter w : ready) {
            w.future.complete(newFrontier);
        }
    }

    public void close() {
        List<Waiter> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : all) {
            w.future.completeExceptionally(new LogClosedException(what + " is closed"));
        }
    }
}
