package io.lsmlog.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.ChildProcess;
import io.lsmlog.KeyRange;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import io.lsmlog.client.ClientConfig;
import io.lsmlog.client.LogClient;
import io.lsmlog.client.LogUnavailableException;
import io.lsmlog.client.RemoteLog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes: the server in its own JVM, two client JVMs appending at once and a third tailing;
 * then the server is killed -9 and started again on the same directory.
 */
class ServerProcessesITCase {
    @TempDir Path dir;

    private static int port(ChildProcess server) throws InterruptedException {
        return Integer.parseInt(server.await("port ", 60).substring(5));
    }

    @Test
    void twoWritersAndATailerInOtherProcessesSeeEveryEntryInOrder() throws Exception {
        Path log = dir.resolve("log");
        try (ChildProcess server = new ChildProcess(ServerChild.class, log.toString(), "0")) {
            String url = "lsmlog://127.0.0.1:" + port(server);
            int batches = 200;
            int perBatch = 250;
            long total = 2L * batches * perBatch;
            try (ChildProcess tailer =
                    new ChildProcess(TailerClient.class, url, Long.toString(total))) {
                tailer.await("tailing", 60);
                try (ChildProcess a =
                                new ChildProcess(
                                        AppenderClient.class,
                                        url,
                                        "a",
                                        "" + batches,
                                        "" + perBatch,
                                        "100");
                        ChildProcess b =
                                new ChildProcess(
                                        AppenderClient.class,
                                        url,
                                        "b",
                                        "" + batches,
                                        "" + perBatch,
                                        "70")) {
                    assertThat(a.await("appended", 120))
                            .isEqualTo("appended " + batches * perBatch);
                    assertThat(b.await("appended", 120))
                            .isEqualTo("appended " + batches * perBatch);
                }
                assertThat(tailer.await("", 120)).isEqualTo("tailed " + total + " keys 170");
            }
            try (RemoteLog client = LogClient.open(URI.create(url))) {
                assertThat(client.nextSequence()).isEqualTo(total);
                // Each key's entries, read by key, are its writer's values in order.
                Map<String, Integer> perKey = new HashMap<>();
                try (LogIterator it = client.scan(KeyRange.all(), SeqRange.all())) {
                    while (it.hasNext()) {
                        LogEntry e = it.next();
                        int i = perKey.merge(e.keyString(), 1, Integer::sum) - 1;
                        assertThat(e.valueString()).isEqualTo(e.keyString() + "-" + i);
                    }
                }
                assertThat(perKey).hasSize(170);
                assertThat(perKey.values().stream().mapToLong(Integer::longValue).sum())
                        .isEqualTo(total);
            }
        }
    }

    @Test
    void aClientRidesOutAServerKilledAndRestarted() throws Exception {
        Path log = dir.resolve("log");
        int port;
        ClientConfig config = ClientConfig.defaults().withRetryTime(Duration.ofSeconds(60));
        ChildProcess server = new ChildProcess(ServerChild.class, log.toString(), "0");
        try {
            port = port(server);
            try (RemoteLog client =
                    LogClient.open(URI.create("lsmlog://127.0.0.1:" + port), config)) {
                // 10 MB: far more than the transport's window, so the scan below is cut.
                byte[] kib = new byte[1024];
                for (int b = 0; b < 20; b++) {
                    List<Record> batch = new java.util.ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        batch.add(new Record(("k" + (i % 10)).getBytes(), kib));
                    }
                    client.append(batch);
                }
                try (LogIterator scan = client.scan(KeyRange.all(), SeqRange.all())) {
                    LogEntry first = scan.next();
                    server.kill();
                    // A read waits for the server to come back, then goes on where it stopped.
                    server =
                            new ChildProcess(
                                    ServerChild.class, log.toString(), Integer.toString(port));
                    port(server);
                    java.util.Set<Long> seen = new java.util.HashSet<>(List.of(first.sequence()));
                    while (scan.hasNext()) {
                        assertThat(seen.add(scan.next().sequence())).isTrue();
                    }
                    assertThat(seen).hasSize(10_000);
                }
                // Every acknowledged append survived the kill (the WAL is written before the ack).
                assertThat(client.nextSequence()).isEqualTo(10_000);
                assertThat(client.append(List.of(Record.of("k0", "after"))).firstSequence())
                        .isEqualTo(10_000);
            }
        } finally {
            server.close();
        }
        // With no server, a client fails typed once its retry time is over.
        long start = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                LogClient.open(
                                        URI.create("lsmlog://127.0.0.1:" + port),
                                        ClientConfig.defaults()
                                                .withRetryTime(Duration.ofSeconds(1))))
                .isInstanceOf(LogUnavailableException.class);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
    }
}
