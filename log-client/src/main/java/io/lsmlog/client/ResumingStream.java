package io.lsmlog.client;

import io.grpc.Context;
import io.lsmlog.client.wire.WireErrors;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Items of a scan, a tail or a key listing, streamed from the server in batches {@code B}. The
 * stream is flow-controlled (the server sends a batch when the client asked for one), so a slow
 * consumer holds back the server, not its memory. A stream broken by a transient failure is opened
 * again after the last entry delivered, within the retry time: no item is repeated or skipped. Each
 * batch decodes on its own (a batch never refers to the one before), so a new stream needs no state
 * from the old one.
 */
class ResumingStream<B, T> implements Iterator<T>, AutoCloseable {
    private final Connection connection;
    private final Function<T, Iterator<B>> open;
    private final BiConsumer<B, Collection<T>> decode;
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    private Context.CancellableContext context;
    private Iterator<B> stream;
    private T lastReceived;
    private boolean done;

    /**
     * @param open opens the stream after the given item (null: from the start)
     * @param decode adds a batch's items to the collection
     */
    ResumingStream(
            Connection connection,
            Function<T, Iterator<B>> open,
            BiConsumer<B, Collection<T>> decode) {
        this.connection = connection;
        this.open = open;
        this.decode = decode;
    }

    @Override
    public boolean hasNext() {
        while (buffer.isEmpty() && !done) {
            fill();
        }
        return !buffer.isEmpty();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffer.poll();
    }

    /** Moves up to {@code max} items into {@code out}; 0 only when the stream is exhausted. */
    public int nextBatch(Collection<? super T> out, int max) {
        int n = 0;
        while (n < max && hasNext()) {
            int take = Math.min(max - n, buffer.size());
            for (int i = 0; i < take; i++) {
                out.add(buffer.poll());
            }
            n += take;
        }
        return n;
    }

    private void fill() {
        long deadline = System.nanoTime() + connection.config().retryTime().toNanos();
        long backoffMs = 50;
        while (true) {
            try {
                if (stream == null) {
                    start();
                }
                if (!stream.hasNext()) {
                    finish();
                    return;
                }
                decode.accept(stream.next(), buffer);
                if (!buffer.isEmpty()) {
                    lastReceived = buffer.peekLast();
                }
                return;
            } catch (RuntimeException e) {
                cancel();
                if (!WireErrors.isTransient(e) || System.nanoTime() > deadline) {
                    done = true;
                    throw connection.failure(e);
                }
                Connection.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 1_000);
            }
        }
    }

    /** Opens the stream, after the last item taken in (from the start if none was). */
    private void start() {
        context = Context.current().withCancellation();
        Context previous = context.attach();
        try {
            stream = open.apply(lastReceived);
        } finally {
            context.detach(previous);
        }
    }

    private void finish() {
        done = true;
        stream = null;
        if (context != null) {
            context.close();
            context = null;
        }
    }

    private void cancel() {
        stream = null;
        if (context != null) {
            context.cancel(null);
            context = null;
        }
    }

    @Override
    public void close() {
        done = true;
        buffer.clear();
        cancel();
    }
}
