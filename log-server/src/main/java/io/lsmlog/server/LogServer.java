package io.lsmlog.server;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.lsmlog.InvalidArgumentException;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log over the network: owns the log's single writer and serves it over gRPC to any number of
 * clients ({@code io.lsmlog.client.RemoteLog}). Start it with {@link #start}, or from the command
 * line with {@code lsmlog serve}. A second server (or any writer) on the same directory is refused
 * with {@link io.lsmlog.LogLockedException}.
 */
public final class LogServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogServer.class);

    private final Log log;
    private final ServerConfig config;
    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ServerMetrics metrics;
    private final ExecutorService executor;
    private final int metricsPort;
    private boolean closed;

    private LogServer(Log log, ServerConfig config) throws IOException {
        this.log = log;
        this.config = config;
        this.metrics = new ServerMetrics(log);
        this.executor =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "lsmlog-server");
                            t.setDaemon(true);
                            return t;
                        });
        LogService service = new LogService(log, config, metrics, executor);
        this.server =
                // Netty's builder takes an address: the server listens on the bind address only.
                NettyServerBuilder.forAddress(
                                new InetSocketAddress(config.bind(), config.port()),
                                credentials(config))
                        .maxConcurrentCallsPerConnection(config.maxConcurrentStreams())
                        .addService(ServerInterceptors.intercept(service, new TokenCheck(config)))
                        .addService(health.getHealthService())
                        .maxInboundMessageSize(config.maxMessageBytes())
                        .executor(executor)
                        .build();
        server.start();
        this.metricsPort =
                config.metricsPort() < 0 ? -1 : metrics.serve(config.bind(), config.metricsPort());
        health.setStatus("", ServingStatus.SERVING);
    }

    /**
     * Opens the log (the server becomes its writer) and starts serving.
     *
     * @throws io.lsmlog.LogLockedException if another process writes or serves the log
     */
    public static LogServer start(LogConfig logConfig, ServerConfig config) {
        Log log = Log.open(logConfig);
        try {
            LogServer s = new LogServer(log, config);
            LOG.info(
                    "serving {} on {}:{}{}",
                    logConfig.directory(),
                    config.bind(),
                    s.port(),
                    s.metricsPort >= 0 ? " (metrics on port " + s.metricsPort + ")" : "");
            return s;
        } catch (IOException e) {
            log.close();
            throw new LogException(
                    "cannot listen on "
                            + config.bind()
                            + ":"
                            + config.port()
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private static ServerCredentials credentials(ServerConfig config) {
        if (config.tlsCertificate() == null) {
            return InsecureServerCredentials.create();
        }
        try {
            TlsServerCredentials.Builder b =
                    TlsServerCredentials.newBuilder()
                            .keyManager(config.tlsCertificate().toFile(), config.tlsKey().toFile());
            if (config.clientCa() != null) {
                b.trustManager(config.clientCa().toFile())
                        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read the TLS files: " + e.getMessage());
        }
    }

    /** The port gRPC listens on (the chosen one when the config asked for 0). */
    public int port() {
        return server.getPort();
    }

    /** The port of {@code /metrics}, or -1 without one. */
    public int metricsPort() {
        return metricsPort;
    }

    /** The served log (its writer): for embedding a server in an application. */
    public Log log() {
        return log;
    }

    /** Blocks until the server shuts down. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Graceful shutdown: stops taking calls, lets the calls in flight finish (appends are written
     * and acknowledged) for up to the shutdown grace, ends the rest, then closes the log.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(
                    config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        metrics.close();
        log.close();
        executor.shutdownNow();
    }

    static String version() {
        String v = LogServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
