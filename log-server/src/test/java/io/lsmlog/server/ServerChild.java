package io.lsmlog.server;

import io.lsmlog.LogConfig;
import java.nio.file.Path;

/** A log server in its own JVM: prints its port, serves until stdin closes or it is killed. */
public final class ServerChild {
    public static void main(String[] args) throws Exception {
        ServerConfig.Builder config = ServerConfig.builder().port(Integer.parseInt(args[1]));
        try (LogServer server =
                LogServer.start(LogConfig.builder(Path.of(args[0])).build(), config.build())) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes stdin
            }
        }
        System.out.println("stopped");
    }
}
