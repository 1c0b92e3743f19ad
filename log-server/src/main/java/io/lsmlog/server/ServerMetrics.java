package io.lsmlog.server;

import com.sun.net.httpserver.HttpServer;
import io.lsmlog.Log;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's metrics (Micrometer), served in Prometheus text format at {@code /metrics} when a
 * metrics port is set: appends, entries and bytes appended, open streams, the log's frontier and
 * disk bytes.
 */
final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter appends;
    private final Counter entries;
    private final Counter bytes;
    private final AtomicInteger openStreams = new AtomicInteger();
    private HttpServer http;

    ServerMetrics(Log log) {
        appends =
                Counter.builder("lsmlog.appends")
                        .description("appends acknowledged")
                        .register(registry);
        entries =
                Counter.builder("lsmlog.appended.entries")
                        .description("entries appended")
                        .register(registry);
        bytes =
                Counter.builder("lsmlog.appended.bytes")
                        .description("bytes of append requests acknowledged")
                        .baseUnit("bytes")
                        .register(registry);
        Gauge.builder("lsmlog.open.streams", openStreams, AtomicInteger::get)
                .description("scans, tails and append streams open")
                .register(registry);
        Gauge.builder("lsmlog.frontier", log, Log::nextSequence)
                .description("the log's next sequence")
                .register(registry);
        Gauge.builder("lsmlog.staging", log, ServerMetrics::stagingBytes)
                .description("bytes of exactly-once stages on disk, not yet committed")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("lsmlog.disk", log, Log::diskBytes)
                .description("bytes of the log's files")
                .baseUnit("bytes")
                .register(registry);
    }

    /** The stage files' sizes (a directory listing: no stage is read). */
    private static double stagingBytes(Log log) {
        java.nio.file.Path dir = io.lsmlog.staging.FileStaging.directory(log.config().directory());
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            return files.mapToLong(ServerMetrics::size).sum();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static long size(java.nio.file.Path f) {
        try {
            return java.nio.file.Files.size(f);
        } catch (IOException e) {
            return 0; // removed while listed
        }
    }

    void appended(long requestBytes, int count) {
        appends.increment();
        entries.increment(count);
        bytes.increment(requestBytes);
    }

    void streamOpened() {
        openStreams.incrementAndGet();
    }

    void streamClosed() {
        openStreams.decrementAndGet();
    }

    /** The metrics in Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }

    /** Serves {@code /metrics} on the port (0: any free one); returns the port. */
    int serve(String bind, int port) throws IOException {
        http = HttpServer.create(new InetSocketAddress(bind, port), 0);
        http.createContext(
                "/metrics",
                exchange -> {
                    byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders()
                            .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream o = exchange.getResponseBody()) {
                        o.write(body);
                    }
                });
        http.start();
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
        }
        registry.close();
    }
}
