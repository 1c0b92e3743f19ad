package io.lsmlog.client;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.lsmlog.InvalidArgumentException;
import io.lsmlog.LogException;
import io.lsmlog.client.proto.LogServiceGrpc;
import io.lsmlog.client.wire.WireErrors;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One channel to a log server, and the rule every call follows: wait for the server to be ready for
 * at most the retry time (the channel reconnects with backoff by itself), retry idempotent calls
 * that broke on a transient failure, and turn every failure into a typed {@link LogException}
 * naming the server.
 */
final class Connection implements AutoCloseable {
    private final ManagedChannel channel;
    private final String address;
    private final ClientConfig config;

    Connection(String host, int port, boolean tls, ClientConfig config) {
        this.address = (tls ? "lsmlogs://" : "lsmlog://") + host + ":" + port;
        this.config = config;
        this.channel =
                Grpc.newChannelBuilderForAddress(host, port, credentials(tls, config))
                        .maxInboundMessageSize(config.maxMessageBytes())
                        .build();
    }

    private static ChannelCredentials credentials(boolean tls, ClientConfig config) {
        if (!tls) {
            if (config.trustCertificate() != null || config.clientCertificate() != null) {
                throw new InvalidArgumentException(
                        "certificates are given but the URI is lsmlog://: use lsmlogs:// for TLS");
            }
            return InsecureChannelCredentials.create();
        }
        try {
            TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
            if (config.trustCertificate() != null) {
                b.trustManager(config.trustCertificate().toFile());
            }
            if (config.clientCertificate() != null) {
                b.keyManager(config.clientCertificate().toFile(), config.clientKey().toFile());
            }
            return b.build();
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read the TLS files: " + e.getMessage());
        }
    }

    String address() {
        return address;
    }

    ClientConfig config() {
        return config;
    }

    /** A stub whose calls wait for the server and carry the token; no deadline. */
    LogServiceGrpc.LogServiceStub async() {
        return withToken(LogServiceGrpc.newStub(channel)).withWaitForReady();
    }

    /** A stub for one unary call: waits for the server at most the retry time. */
    LogServiceGrpc.LogServiceBlockingStub blocking() {
        return withToken(LogServiceGrpc.newBlockingStub(channel))
                .withWaitForReady()
                .withDeadlineAfter(config.retryTime().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A stub for a server stream, which may last any time: no deadline. */
    LogServiceGrpc.LogServiceBlockingStub streaming() {
        return withToken(LogServiceGrpc.newBlockingStub(channel)).withWaitForReady();
    }

    private <S extends io.grpc.stub.AbstractStub<S>> S withToken(S stub) {
        String token = config.token();
        if (token == null) {
            return stub;
        }
        return stub.withCallCredentials(new BearerToken(token));
    }

    /** Runs an idempotent call, again while it fails transiently, within the retry time. */
    <T> T call(Supplier<T> call) {
        long deadline = System.nanoTime() + config.retryTime().toNanos();
        long backoffMs = 50;
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (!WireErrors.isTransient(e)
                        || System.nanoTime() + backoffMs * 1_000_000 > deadline) {
                    throw failure(e);
                }
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 1_000);
            }
        }
    }

    /** A failed call as a typed exception; a deadline that passed means nobody answered. */
    LogException failure(Throwable t) {
        Status.Code code = Status.fromThrowable(t).getCode();
        if (code == Status.Code.DEADLINE_EXCEEDED) {
            return new LogUnavailableException(
                    address + ": no answer within " + config.retryTime() + " (is the server up?)",
                    t);
        }
        if (code == Status.Code.UNAVAILABLE && Status.trailersFromThrowable(t) == null) {
            return new LogUnavailableException(
                    address + ": unavailable: " + Status.fromThrowable(t).getDescription(), t);
        }
        return WireErrors.toLogException(t, address);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted while waiting for the log server", e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code authorization: Bearer <token>} on every call. */
    private static final class BearerToken extends CallCredentials {
        private static final Metadata.Key<String> AUTHORIZATION =
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
        private final String token;

        BearerToken(String token) {
            this.token = token;
        }

        @Override
        public void applyRequestMetadata(
                RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token);
            applier.apply(headers);
        }
    }
}
