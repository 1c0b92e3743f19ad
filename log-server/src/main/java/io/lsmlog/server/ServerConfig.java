package io.lsmlog.server;

import io.lsmlog.InvalidArgumentException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How a log server listens.
 *
 * @param bind the address to listen on; loopback unless asked otherwise
 * @param port the port for gRPC (0: any free one, see {@link LogServer#port()})
 * @param metricsPort the port of the HTTP endpoint {@code /metrics} in Prometheus text format (-1:
 *     none; 0: any free one)
 * @param readTokens bearer tokens that may read
 * @param writeTokens bearer tokens that may read and write (append, stage, retention, checkpoint);
 *     with no tokens at all, every call is allowed
 * @param tlsCertificate PEM certificate chain of the server (null: plain text)
 * @param tlsKey PEM private key of the certificate
 * @param clientCa PEM certificate(s) that client certificates must chain to (null: clients need
 *     none)
 * @param maxMessageBytes the largest message a client may send (an append)
 * @param maxConcurrentStreams calls open at once on one connection
 * @param shutdownGrace how long a shutdown waits for calls in flight (appends finish)
 */
public record ServerConfig(
        String bind,
        int port,
        int metricsPort,
        Set<String> readTokens,
        Set<String> writeTokens,
        Path tlsCertificate,
        Path tlsKey,
        Path clientCa,
        int maxMessageBytes,
        int maxConcurrentStreams,
        Duration shutdownGrace) {

    public static final int DEFAULT_PORT = 7070;

    public ServerConfig {
        if (bind == null || bind.isBlank()) {
            throw new InvalidArgumentException("the bind address is empty");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidArgumentException("port must be 0 to 65535, got " + port);
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new InvalidArgumentException(
                    "metrics port must be -1 (none) or 0 to 65535, got " + metricsPort);
        }
        readTokens = Set.copyOf(readTokens);
        writeTokens = Set.copyOf(writeTokens);
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new InvalidArgumentException("TLS needs both a certificate and its key");
        }
        if (clientCa != null && tlsCertificate == null) {
            throw new InvalidArgumentException("client certificates need TLS: give a certificate");
        }
        if (maxMessageBytes < 1 << 20) {
            throw new InvalidArgumentException(
                    "maxMessageBytes must be at least 1 MiB, got " + maxMessageBytes);
        }
        if (maxConcurrentStreams < 1) {
            throw new InvalidArgumentException(
                    "maxConcurrentStreams must be at least 1, got " + maxConcurrentStreams);
        }
    }

    /** Loopback, port 7070, no metrics endpoint, no tokens, plain text, 64 MiB messages. */
    public static Builder builder() {
        return new Builder();
    }

    public boolean requiresTokens() {
        return !readTokens.isEmpty() || !writeTokens.isEmpty();
    }

    /** Builds a {@link ServerConfig}. */
    public static final class Builder {
        private String bind = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private int metricsPort = -1;
        private Set<String> readTokens = Set.of();
        private Set<String> writeTokens = Set.of();
        private Path tlsCertificate;
        private Path tlsKey;
        private Path clientCa;
        private int maxMessageBytes = 64 << 20;
        private int maxConcurrentStreams = 1_000;
        private Duration shutdownGrace = Duration.ofSeconds(10);

        public Builder bind(String b) {
            this.bind = b;
            return this;
        }

        public Builder port(int p) {
            this.port = p;
            return this;
        }

        public Builder metricsPort(int p) {
            this.metricsPort = p;
            return this;
        }

        public Builder readTokens(Set<String> t) {
            this.readTokens = t;
            return this;
        }

        public Builder writeTokens(Set<String> t) {
            this.writeTokens = t;
            return this;
        }

        public Builder tls(Path certificate, Path key) {
            this.tlsCertificate = certificate;
            this.tlsKey = key;
            return this;
        }

        public Builder clientCa(Path ca) {
            this.clientCa = ca;
            return this;
        }

        public Builder maxMessageBytes(int b) {
            this.maxMessageBytes = b;
            return this;
        }

        public Builder maxConcurrentStreams(int n) {
            this.maxConcurrentStreams = n;
            return this;
        }

        public Builder shutdownGrace(Duration d) {
            this.shutdownGrace = d;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(
                    bind,
                    port,
                    metricsPort,
                    readTokens,
                    writeTokens,
                    tlsCertificate,
                    tlsKey,
                    clientCa,
                    maxMessageBytes,
                    maxConcurrentStreams,
                    shutdownGrace);
        }
    }
}
