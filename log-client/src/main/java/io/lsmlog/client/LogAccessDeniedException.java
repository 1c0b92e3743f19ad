package io.lsmlog.client;

import io.lsmlog.LogException;

/**
 * The server refused the call: no token or an unknown one ({@code UNAUTHENTICATED}), or a read
 * token used for a call that writes ({@code PERMISSION_DENIED}).
 */
public class LogAccessDeniedException extends LogException {
    public LogAccessDeniedException(String message) {
        super(message);
    }
}
