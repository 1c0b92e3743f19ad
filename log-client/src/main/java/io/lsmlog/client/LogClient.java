package io.lsmlog.client;

import io.lsmlog.InvalidArgumentException;
import java.net.URI;

/**
 * Opens a log served by {@code lsmlog serve}: {@code lsmlog://host:port} (plain text) or {@code
 * lsmlogs://host:port} (TLS). The port defaults to {@value #DEFAULT_PORT}.
 */
public final class LogClient {
    public static final int DEFAULT_PORT = 7070;

    private LogClient() {}

    /** Whether a path or URI names a log server rather than a directory. */
    public static boolean isRemote(String pathOrUri) {
        return pathOrUri.startsWith("lsmlog://") || pathOrUri.startsWith("lsmlogs://");
    }

    public static RemoteLog open(URI uri) {
        return open(uri, ClientConfig.defaults());
    }

    /**
     * Connects and says hello: fails with {@link LogUnavailableException} when no server answers
     * within the config's retry time, with {@link ProtocolVersionException} when it speaks another
     * protocol version.
     */
    public static RemoteLog open(URI uri, ClientConfig config) {
        String scheme = uri.getScheme();
        if (!"lsmlog".equals(scheme) && !"lsmlogs".equals(scheme)) {
            throw new InvalidArgumentException(
                    "a log server URI looks like lsmlog://host:port or lsmlogs://host:port, got "
                            + uri);
        }
        if (uri.getHost() == null) {
            throw new InvalidArgumentException("the log server URI " + uri + " names no host");
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        return RemoteLog.connect(uri.getHost(), port, "lsmlogs".equals(scheme), config);
    }
}
