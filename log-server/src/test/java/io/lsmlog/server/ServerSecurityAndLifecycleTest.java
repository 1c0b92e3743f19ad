package io.lsmlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.lsmlog.AppendResult;
import io.lsmlog.KeyRange;
import io.lsmlog.LogConfig;
import io.lsmlog.LogException;
import io.lsmlog.LogReader;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import io.lsmlog.client.ClientConfig;
import io.lsmlog.client.LogClient;
import io.lsmlog.client.LogUnavailableException;
import io.lsmlog.client.ProtocolVersionException;
import io.lsmlog.client.RemoteLog;
import io.lsmlog.client.proto.HelloRequest;
import io.lsmlog.client.proto.LogServiceGrpc;
import io.lsmlog.client.wire.WireErrors;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and client certificates, the protocol handshake, health, and a graceful shutdown. */
class ServerSecurityAndLifecycleTest {
    @TempDir Path dir;

    private static final ClientConfig FAST =
            ClientConfig.defaults().withRetryTime(Duration.ofSeconds(2));

    private LogServer serve(ServerConfig.Builder config) {
        return LogServer.start(
                LogConfig.builder(dir.resolve("log")).build(), config.port(0).build());
    }

    /** A self-signed certificate for 127.0.0.1 made by openssl; the test is skipped without it. */
    private Path[] certificate(String name) throws Exception {
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        Process p;
        try {
            p =
                    new ProcessBuilder(
                                    "openssl",
                                    "req",
                                    "-x509",
                                    "-newkey",
                                    "rsa:2048",
                                    "-nodes",
                                    "-keyout",
                                    key.toString(),
                                    "-out",
                                    cert.toString(),
                                    "-days",
                                    "2",
                                    "-subj",
                                    "/CN=" + name,
                                    "-addext",
                                    "subjectAltName=IP:127.0.0.1,DNS:localhost")
                            .redirectErrorStream(true)
                            .start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "openssl is not installed");
            return null;
        }
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor() == 0, "openssl could not make a certificate");
        return new Path[] {cert, key};
    }

    @Test
    void tlsWithAndWithoutClientCertificates() throws Exception {
        Path[] server = certificate("server");
        Path[] client = certificate("client");
        try (LogServer s = serve(ServerConfig.builder().tls(server[0], server[1]))) {
            URI tls = URI.create("lsmlogs://127.0.0.1:" + s.port());
            try (RemoteLog log = LogClient.open(tls, FAST.withTrustCertificate(server[0]))) {
                log.append(List.of(Record.of("k", "over tls")));
                assertThat(log.scan("k", SeqRange.all()).next().valueString())
                        .isEqualTo("over tls");
            }
            // Plain text against a TLS port, and TLS without trusting the certificate: refused.
            assertThatThrownBy(
                            () ->
                                    LogClient.open(
                                            URI.create("lsmlog://127.0.0.1:" + s.port()), FAST))
                    .isInstanceOf(LogUnavailableException.class);
            assertThatThrownBy(() -> LogClient.open(tls, FAST))
                    .isInstanceOf(LogUnavailableException.class);
        }
        try (LogServer s =
                serve(ServerConfig.builder().tls(server[0], server[1]).clientCa(client[0]))) {
            URI tls = URI.create("lsmlogs://127.0.0.1:" + s.port());
            try (RemoteLog log =
                    LogClient.open(
                            tls,
                            FAST.withTrustCertificate(server[0])
                                    .withClientCertificate(client[0], client[1]))) {
                assertThat(log.nextSequence()).isEqualTo(1);
            }
            assertThatThrownBy(() -> LogClient.open(tls, FAST.withTrustCertificate(server[0])))
                    .isInstanceOf(LogUnavailableException.class);
        }
    }

    @Test
    void anotherProtocolVersionIsRefusedAtHello() throws Exception {
        try (LogServer s = serve(ServerConfig.builder())) {
            ManagedChannel channel =
                    Grpc.newChannelBuilderForAddress(
                                    "127.0.0.1", s.port(), InsecureChannelCredentials.create())
                            .build();
            try {
                Throwable failure =
                        org.assertj.core.api.Assertions.catchThrowable(
                                () ->
                                        LogServiceGrpc.newBlockingStub(channel)
                                                .hello(
                                                        HelloRequest.newBuilder()
                                                                .setProtocolVersion(2)
                                                                .build()));
                assertThat(WireErrors.toLogException(failure, "lsmlog://127.0.0.1:" + s.port()))
                        .isInstanceOf(ProtocolVersionException.class)
                        .hasMessageContaining("protocol version 2, this server 1");
                HealthCheckResponse health =
                        HealthGrpc.newBlockingStub(channel)
                                .check(HealthCheckRequest.getDefaultInstance());
                assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Appends in flight when the server shuts down are written and acknowledged, or fail typed;
     * what was acknowledged is in the log afterwards, and nothing else.
     */
    @Test
    void aGracefulShutdownFinishesTheAppendsInFlight() throws Exception {
        LogServer s = serve(ServerConfig.builder());
        List<CompletableFuture<AppendResult>> acks = new ArrayList<>();
        try (RemoteLog log = LogClient.open(URI.create("lsmlog://127.0.0.1:" + s.port()), FAST)) {
            for (int i = 0; i < 200; i++) {
                List<Record> batch = new ArrayList<>();
                for (int j = 0; j < 100; j++) {
                    batch.add(Record.of("k" + j, "v" + i));
                }
                acks.add(log.appendAsync(batch));
                if (i == 100) {
                    CompletableFuture.runAsync(s::close);
                }
            }
            long acknowledged = 0;
            for (CompletableFuture<AppendResult> f : acks) {
                try {
                    acknowledged += f.get(30, TimeUnit.SECONDS).count();
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(LogException.class);
                }
            }
            assertThat(acknowledged).isGreaterThanOrEqualTo(100 * 100);
            s.close();
            try (LogReader r = LogReader.open(LogConfig.builder(dir.resolve("log")).build())) {
                // Every acknowledged append is there; an unacknowledged one may be too (written,
                // its answer lost to the shutdown), never a part of one.
                long count = r.count(KeyRange.all(), SeqRange.all());
                assertThat(count).isGreaterThanOrEqualTo(acknowledged);
                assertThat(count % 100).isZero();
            }
        }
    }
}
