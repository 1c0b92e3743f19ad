package io.lsmlog;

/** An argument or configuration value is out of its allowed range; the message says which. */
public class InvalidArgumentException extends LogException {
    public InvalidArgumentException(String message) {
        super(message);
    }
}
