package io.lsmlog.cli;

import io.lsmlog.server.LogServer;
import io.lsmlog.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the log over the network (gRPC) to clients on any host.",
            "The server becomes the log's writer; any number of clients read and write it",
            "(--url lsmlog://HOST:PORT in every command, 'path' = 'lsmlog://HOST:PORT' in the",
            "Flink connector). Runs until stopped (Ctrl-C, SIGTERM: appends in flight finish",
            "first)."
        })
final class ServeCommand extends LogCommand {
    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            description =
                    "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every one).")
    String bind = "127.0.0.1";

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "gRPC port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Serve /metrics (Prometheus text) on this port (default: none).")
    Integer metricsPort;

    @Option(
            names = "--tokens",
            paramLabel = "FILE",
            description = {
                "Require bearer tokens: one per line, 'read TOKEN' or 'write TOKEN' ('#' starts",
                "a comment). Without it every client may read and write."
            })
    Path tokens;

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "Serve TLS with this certificate chain.")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "PEM",
            description = "The TLS certificate's private key.")
    Path tlsKey;

    @Option(
            names = "--client-ca",
            paramLabel = "PEM",
            description = "Require client certificates that chain to this CA.")
    Path clientCa;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig.Builder b =
                ServerConfig.builder()
                        .bind(bind)
                        .port(port)
                        .metricsPort(metricsPort == null ? -1 : metricsPort);
        if (tokens != null) {
            readTokens(b, tokens);
        }
        if (tlsCert != null || tlsKey != null) {
            b.tls(tlsCert, tlsKey);
        }
        if (clientCa != null) {
            b.clientCa(clientCa);
        }
        ServerConfig config = b.build();
        LogServer server = LogServer.start(config(), config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.close();
                                    stopped.countDown();
                                },
                                "lsmlog-serve-shutdown"));
        String address =
                (tlsCert != null ? "lsmlogs://" : "lsmlog://") + bind + ":" + server.port();
        // On stdout, the command's one output: scripts read the address (the port, when 0).
        output().record(
                        "serving "
                                + directory().toAbsolutePath()
                                + " at "
                                + address
                                + (server.metricsPort() >= 0
                                        ? ", metrics at http://"
                                                + bind
                                                + ":"
                                                + server.metricsPort()
                                                + "/metrics"
                                        : "")
                                + (config.requiresTokens() ? ", tokens required" : ""),
                        Output.fields(
                                "directory",
                                directory().toAbsolutePath().toString(),
                                "url",
                                address,
                                "metrics_port",
                                server.metricsPort()));
        stopped.await();
        return 0;
    }

    private static void readTokens(ServerConfig.Builder b, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("--tokens: cannot read " + file + ": " + e.getMessage());
        }
        Set<String> read = new HashSet<>();
        Set<String> write = new HashSet<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2 || !(parts[0].equals("read") || parts[0].equals("write"))) {
                throw new CliException(
                        "--tokens: line "
                                + n
                                + " of "
                                + file
                                + " is not 'read TOKEN' or 'write TOKEN'");
            }
            (parts[0].equals("read") ? read : write).add(parts[1]);
        }
        if (read.isEmpty() && write.isEmpty()) {
            throw new CliException("--tokens: " + file + " names no token");
        }
        b.readTokens(read).writeTokens(write);
    }
}
