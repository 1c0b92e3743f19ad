package io.lsmlog.client;

import io.lsmlog.InvalidArgumentException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a client reaches a log server.
 *
 * @param token bearer token sent with every call (null: none, for a server without tokens)
 * @param trustCertificate PEM file of the certificate (or CA) the server's TLS certificate must
 *     chain to; used for {@code lsmlogs://} URIs (null: the JDK's default trust store)
 * @param clientCertificate PEM certificate chain for servers that ask for client certificates
 *     (null: none)
 * @param clientKey PEM private key of {@code clientCertificate}
 * @param retryTime how long a call waits for the server (starting, restarting, unreachable) before
 *     it fails with {@link LogUnavailableException}
 * @param maxInFlightAppends pipelined appends sent and not yet acknowledged; {@code appendAsync}
 *     blocks while this many are in flight
 * @param maxMessageBytes largest message accepted from the server
 */
public record ClientConfig(
        String token,
        Path trustCertificate,
        Path clientCertificate,
        Path clientKey,
        Duration retryTime,
        int maxInFlightAppends,
        int maxMessageBytes) {

    public ClientConfig {
        if (retryTime == null || retryTime.isNegative() || retryTime.isZero()) {
            throw new InvalidArgumentException("retryTime must be positive, got " + retryTime);
        }
        if (maxInFlightAppends < 1) {
            throw new InvalidArgumentException(
                    "maxInFlightAppends must be at least 1, got " + maxInFlightAppends);
        }
        if (maxMessageBytes < 1 << 20) {
            throw new InvalidArgumentException(
                    "maxMessageBytes must be at least 1 MiB, got " + maxMessageBytes);
        }
        if ((clientCertificate == null) != (clientKey == null)) {
            throw new InvalidArgumentException(
                    "a client certificate needs its key and a key its certificate");
        }
    }

    /** No token, default trust, 30 s retry time, 64 appends in flight, 64 MiB messages. */
    public static ClientConfig defaults() {
        return new ClientConfig(null, null, null, null, Duration.ofSeconds(30), 64, 64 << 20);
    }

    public ClientConfig withToken(String t) {
        return new ClientConfig(
                t,
                trustCertificate,
                clientCertificate,
                clientKey,
                retryTime,
                maxInFlightAppends,
                maxMessageBytes);
    }

    public ClientConfig withTrustCertificate(Path pem) {
        return new ClientConfig(
                token,
                pem,
                clientCertificate,
                clientKey,
                retryTime,
                maxInFlightAppends,
                maxMessageBytes);
    }

    public ClientConfig withClientCertificate(Path certificatePem, Path keyPem) {
        return new ClientConfig(
                token,
                trustCertificate,
                certificatePem,
                keyPem,
                retryTime,
                maxInFlightAppends,
                maxMessageBytes);
    }

    public ClientConfig withRetryTime(Duration d) {
        return new ClientConfig(
                token,
                trustCertificate,
                clientCertificate,
                clientKey,
                d,
                maxInFlightAppends,
                maxMessageBytes);
    }

    public ClientConfig withMaxInFlightAppends(int n) {
        return new ClientConfig(
                token,
                trustCertificate,
                clientCertificate,
                clientKey,
                retryTime,
                n,
                maxMessageBytes);
    }
}
