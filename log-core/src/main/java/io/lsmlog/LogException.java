package io.lsmlog;

/**
 * Base of every error lsmlog reports. Subclasses say what went wrong; messages name the culprit.
 */
public class LogException extends RuntimeException {
    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
