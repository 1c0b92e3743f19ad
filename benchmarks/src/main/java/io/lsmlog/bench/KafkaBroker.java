package io.lsmlog.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real Kafka broker (KRaft, broker and controller in one process) on 127.0.0.1, in a child JVM
 * with its own class path (benchmarks/kafka-broker/pom.xml, resolved by bin/bench), for baselines
 * measured in the same run as ours. Its data lives under the given directory.
 */
final class KafkaBroker implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private KafkaBroker(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The broker's class path file, written by bin/bench. */
    static Path classPathFile() {
        return Path.of("benchmarks", "kafka-broker", "target", "classpath.txt");
    }

    static boolean available() {
        return Files.isRegularFile(classPathFile());
    }

    static KafkaBroker start(Path dir) throws Exception {
        if (!available()) {
            throw new IllegalStateException(
                    "no Kafka broker class path at " + classPathFile() + "; run bin/bench");
        }
        String cp = Files.readString(classPathFile()).trim();
        Bench.delete(dir);
        Files.createDirectories(dir);
        int port = freePort();
        int controller = freePort();
        Path props = dir.resolve("server.properties");
        Files.writeString(
                props,
                String.join(
                                "\n",
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.voters=1@127.0.0.1:" + controller,
                                "listeners=PLAINTEXT://127.0.0.1:"
                                        + port
                                        + ",CONTROLLER://127.0.0.1:"
                                        + controller,
                                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                                "controller.listener.names=CONTROLLER",
                                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                                "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                                "num.partitions=1",
                                "offsets.topic.replication.factor=1",
                                "transaction.state.log.replication.factor=1",
                                "transaction.state.log.min.isr=1",
                                "group.initial.rebalance.delay.ms=0",
                                "log.segment.bytes=1073741824",
                                "")
                        + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        run(
                List.of(
                        java,
                        "-cp",
                        cp,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        uuid(),
                        "-c",
                        props.toString()),
                dir.resolve("format.log"));
        List<String> cmd =
                new ArrayList<>(
                        List.of(java, "-Xmx1g", "-cp", cp, "kafka.Kafka", props.toString()));
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("broker.log").toFile())
                        .start();
        KafkaBroker b = new KafkaBroker(p, port, dir);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!b.accepting()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                b.close();
                throw new IllegalStateException(
                        "the Kafka broker did not start; see " + dir.resolve("broker.log"));
            }
            Thread.sleep(100);
        }
        return b;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /**
     * Bytes of a one-partition topic's logs ({@code *.log}); its offset and time indexes are
     * preallocated sparse files whose length says nothing of the space they take.
     */
    long dataBytes(String topic) throws IOException {
        try (java.util.stream.Stream<Path> s =
                Files.walk(dir.resolve("data").resolve(topic + "-0"))) {
            return s.filter(p -> p.toString().endsWith(".log"))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private boolean accepting() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> cmd, Path log) throws Exception {
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("command failed (see " + log + "): " + cmd);
        }
    }

    private static String uuid() {
        // Kafka cluster ids are 16 bytes in URL-safe base64 without padding.
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
