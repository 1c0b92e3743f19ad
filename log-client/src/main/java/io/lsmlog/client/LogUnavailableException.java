package io.lsmlog.client;

import io.lsmlog.LogException;

/**
 * The log server could not be reached, or the connection broke, and reconnecting did not help
 * within the client's retry time. An append that fails this way may or may not have been written:
 * the sink's exactly-once path stages and commits idempotently for that reason.
 */
public class LogUnavailableException extends LogException {
    public LogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
