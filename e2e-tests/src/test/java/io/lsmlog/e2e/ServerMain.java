package io.lsmlog.e2e;

import io.lsmlog.LogConfig;
import io.lsmlog.server.LogServer;
import io.lsmlog.server.ServerConfig;
import java.nio.file.Path;

/** A log server in its own JVM (args: directory, port): prints "port N", serves until killed. */
public final class ServerMain {
    public static void main(String[] args) throws Exception {
        LogServer server =
                LogServer.start(
                        LogConfig.builder(Path.of(args[0])).segmentRollBytes(256 << 10).build(),
                        ServerConfig.builder().port(Integer.parseInt(args[1])).build());
        System.out.println("port " + server.port());
        System.out.flush();
        server.awaitTermination();
    }
}
