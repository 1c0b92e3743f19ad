package io.lsmlog;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Writing a log, and reading it: implemented by the embedded writer ({@link Log}) and by a client
 * of a log server, so that code written against it runs on both.
 */
public interface LogWrite extends LogRead {

    /** Appends the records atomically and waits until they are written (and synced if so set). */
    AppendResult append(List<Record> records);

    /**
     * Queues the records for appending; the future completes once the append is written. Appends
     * are applied in the order they were queued.
     */
    CompletableFuture<AppendResult> appendAsync(List<Record> records);

    /**
     * Appends the records and sets the marker {@code markerId} to {@code marker}, atomically: after
     * a crash, {@link #marker(String)} says exactly which appends happened.
     */
    AppendResult appendWithMarker(List<Record> records, String markerId, Marker marker);

    /** The marker last written with {@link #appendWithMarker}, if any. */
    Optional<Marker> marker(String markerId);

    /** Waits for every append queued before it and makes them durable (fsyncs the WAL). */
    void flush();

    /**
     * Runs one retention pass now with the given bounds (null / 0: no bound of that kind), whatever
     * the configured ones; returns the segments it dropped.
     */
    RetentionResult applyRetention(Duration maxAge, long maxBytes);

    /** Exactly-once staging of this log (kept next to the log: on the server for a remote one). */
    Staging staging();

    /**
     * The log's reader-group coordinator (in the writer's process: on the server for a remote log).
     * Applications use {@link ReaderGroup#join}.
     */
    Groups groups();
}
