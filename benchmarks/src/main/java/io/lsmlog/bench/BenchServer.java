package io.lsmlog.bench;

import io.lsmlog.LogConfig;
import io.lsmlog.server.LogServer;
import io.lsmlog.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The log server of scenario "server", in its own JVM (args: directory, append linger in ms):
 * prints "port N", serves until stdin closes.
 */
public final class BenchServer {
    public static void main(String[] args) throws Exception {
        try (LogServer server =
                LogServer.start(
                        LogConfig.builder(Path.of(args[0]))
                                .appendLinger(Duration.ofMillis(Long.parseLong(args[1])))
                                .build(),
                        ServerConfig.builder().port(0).build())) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the benchmark closes stdin
            }
        }
        // Pauses explain latency outliers: the benchmark reads this last line.
        System.out.println("gc " + ServerBench.gcMillis());
        System.out.flush();
    }
}
