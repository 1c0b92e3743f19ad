package io.lsmlog;

/** The log (or reader, or iterator) was used after {@code close()}. */
public class LogClosedException extends LogException {
    public LogClosedException(String message) {
        super(message);
    }
}
