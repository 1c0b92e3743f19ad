package io.lsmlog.client;

import io.lsmlog.LogException;

/** Client and server speak different versions of the wire protocol: upgrade the older one. */
public class ProtocolVersionException extends LogException {
    public ProtocolVersionException(String message) {
        super(message);
    }
}
