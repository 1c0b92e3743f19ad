package io.lsmlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.AppendResult;
import io.lsmlog.GroupDescription;
import io.lsmlog.GroupLag;
import io.lsmlog.GroupOptions;
import io.lsmlog.InvalidArgumentException;
import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.LogLockedException;
import io.lsmlog.LogRead;
import io.lsmlog.Marker;
import io.lsmlog.ReaderGroup;
import io.lsmlog.Record;
import io.lsmlog.Segment;
import io.lsmlog.SeqRange;
import io.lsmlog.SequenceDroppedException;
import io.lsmlog.client.ClientConfig;
import io.lsmlog.client.LogAccessDeniedException;
import io.lsmlog.client.LogClient;
import io.lsmlog.client.LogUnavailableException;
import io.lsmlog.client.RemoteLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server in this JVM and clients over loopback: each call gives what the embedded log gives. */
class RemoteLogTest {
    @TempDir Path dir;

    private LogServer serve(ServerConfig.Builder config) {
        return LogServer.start(
                LogConfig.builder(dir.resolve("log")).segmentRollBytes(64 << 10).build(),
                config.port(0).build());
    }

    private static RemoteLog connect(LogServer server, ClientConfig config) {
        return LogClient.open(URI.create("lsmlog://127.0.0.1:" + server.port()), config);
    }

    private static List<Record> records(String prefix, int keys, int perKey) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                out.add(Record.of(prefix + k, "v" + i + "-" + k));
            }
        }
        return out;
    }

    private static List<LogEntry> drain(LogIterator it) {
        List<LogEntry> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static List<byte[]> drain(KeyIterator it) {
        List<byte[]> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void everyReadGivesWhatTheEmbeddedLogGives() throws Exception {
        try (LogServer server = serve(ServerConfig.builder());
                RemoteLog remote = connect(server, ClientConfig.defaults())) {
            AppendResult first = remote.append(records("k", 50, 40));
            assertThat(first.count()).isEqualTo(2_000);
            for (int i = 0; i < 20; i++) {
                remote.appendAsync(records("k", 50, 10));
            }
            remote.flush();
            Log embedded = server.log();
            embedded.awaitSealing(Duration.ofSeconds(30));
            assertThat(remote.nextSequence()).isEqualTo(embedded.nextSequence()).isEqualTo(12_000);
            assertThat(remote.segments())
                    .isEqualTo(embedded.segments())
                    .hasSizeGreaterThanOrEqualTo(2);

            List<LogRead> both = List.of(embedded, remote);
            List<List<LogEntry>> all = new ArrayList<>();
            for (LogRead log : both) {
                all.add(drain(log.scan(KeyRange.all(), SeqRange.all())));
            }
            assertThat(all.get(1)).hasSize(12_000).containsExactlyElementsOf(all.get(0));
            SeqRange middle = SeqRange.between(3_000, 9_000);
            assertThat(drain(remote.scanBySequence(KeyRange.prefix("k1"), middle)))
                    .containsExactlyElementsOf(
                            drain(embedded.scanBySequence(KeyRange.prefix("k1"), middle)));
            assertThat(drain(remote.scan("k7", SeqRange.all())))
                    .hasSize(240)
                    .containsExactlyElementsOf(drain(embedded.scan("k7", SeqRange.all())));
            byte[] k3 = "k3".getBytes(StandardCharsets.UTF_8);
            assertThat(remote.latest(k3)).isEqualTo(embedded.latest(k3));
            assertThat(remote.latest("nope".getBytes(StandardCharsets.UTF_8))).isEmpty();
            assertThat(remote.count(k3, SeqRange.all())).isEqualTo(240);
            assertThat(remote.count(KeyRange.prefix("k4"), middle))
                    .isEqualTo(embedded.count(KeyRange.prefix("k4"), middle));
            assertThat(drain(remote.keys(KeyRange.all())))
                    .hasSize(50)
                    .containsExactlyElementsOf(drain(embedded.keys(KeyRange.all())));
            List<Segment> firstTwo = remote.segments().subList(0, 2);
            assertThat(drain(remote.keys(firstTwo, KeyRange.prefix("k2"))))
                    .containsExactlyElementsOf(
                            drain(embedded.keys(firstTwo, KeyRange.prefix("k2"))));
            Segment s0 = remote.segments().get(0);
            assertThat(remote.approximateBytes(s0)).isEqualTo(embedded.approximateBytes(s0));
            assertThat(remote.sequenceAt(0)).isEqualTo(embedded.sequenceAt(0));
            assertThat(remote.firstSequence()).isZero();
            assertThat(remote.diskBytes()).isPositive();
        }
    }

    @Test
    void writesAreOrderedAndMarkersAreAtomic() throws Exception {
        try (LogServer server = serve(ServerConfig.builder());
                RemoteLog remote =
                        connect(server, ClientConfig.defaults().withMaxInFlightAppends(4))) {
            List<CompletableFuture<AppendResult>> acks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                acks.add(remote.appendAsync(List.of(Record.of("a", "async-" + i))));
            }
            AppendResult marked =
                    remote.appendWithMarker(
                            List.of(Record.of("a", "marked")), "sink-1", new Marker(3, 7));
            long previous = -1;
            for (CompletableFuture<AppendResult> f : acks) {
                AppendResult r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.firstSequence()).isGreaterThan(previous);
                previous = r.firstSequence();
            }
            assertThat(marked.firstSequence()).isEqualTo(100);
            assertThat(remote.marker("sink-1")).contains(new Marker(3, 7));
            assertThat(remote.marker("other")).isEmpty();
            List<LogEntry> a = drain(remote.scan("a", SeqRange.all()));
            assertThat(a).hasSize(101);
            assertThat(a.get(99).valueString()).isEqualTo("async-99");
            assertThat(a.get(100).valueString()).isEqualTo("marked");
        }
    }

    @Test
    void aTailIsPushedWhatIsAppendedAfterIt() throws Exception {
        try (LogServer server = serve(ServerConfig.builder());
                RemoteLog writer = connect(server, ClientConfig.defaults());
                RemoteLog reader = connect(server, ClientConfig.defaults())) {
            writer.append(List.of(Record.of("t1", "before"), Record.of("u", "other key")));
            try (LogIterator tail = reader.tail(KeyRange.prefix("t"), 0)) {
                assertThat(tail.next().valueString()).isEqualTo("before");
                CompletableFuture<List<String>> received =
                        CompletableFuture.supplyAsync(
                                () -> {
                                    List<String> got = new ArrayList<>();
                                    while (got.size() < 3) {
                                        got.add(tail.next().valueString());
                                    }
                                    return got;
                                });
                Thread.sleep(100);
                writer.append(List.of(Record.of("t2", "one"), Record.of("x", "not mine")));
                writer.append(List.of(Record.of("t1", "two"), Record.of("t3", "three")));
                assertThat(received.get(30, TimeUnit.SECONDS))
                        .containsExactly("one", "two", "three");
            }
            assertThat(reader.awaitSequence(1_000, Duration.ofMillis(50))).isFalse();
            CompletableFuture<Long> reached = reader.awaitSequence(6); // 0..5 exist
            assertThat(reached).isNotDone();
            writer.append(List.of(Record.of("t9", "six")));
            assertThat(reached.get(30, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    @Test
    void errorsKeepTheirTypesAcrossTheWire() throws Exception {
        try (LogServer server = serve(ServerConfig.builder().maxMessageBytes(1 << 20));
                RemoteLog remote = connect(server, ClientConfig.defaults())) {
            remote.append(List.of(Record.of("k", "v")));
            assertThatThrownBy(() -> remote.append(List.of(new Record(new byte[0], new byte[1]))))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("lsmlog://127.0.0.1:" + server.port());
            byte[] big = new byte[2 << 20];
            assertThatThrownBy(() -> remote.append(List.of(new Record(new byte[] {1}, big))))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("message limit");
            // Nothing of the refused appends was written, and the stream goes on.
            assertThat(remote.append(List.of(Record.of("k", "w"))).firstSequence()).isEqualTo(1);
            assertThat(drain(remote.scan(KeyRange.all(), new SeqRange(0, 5, true))))
                    .extracting(LogEntry::valueString)
                    .containsExactly("v", "w");
            assertThatThrownBy(
                            () ->
                                    LogServer.start(
                                            LogConfig.builder(dir.resolve("log")).build(),
                                            ServerConfig.builder().port(0).build()))
                    .isInstanceOf(LogLockedException.class);
        }
    }

    @Test
    void aScanFromADroppedSequenceSaysWhatIsLeft() throws Exception {
        try (LogServer server = serve(ServerConfig.builder());
                RemoteLog remote = connect(server, ClientConfig.defaults())) {
            for (int i = 0; i < 30; i++) {
                remote.append(records("r", 10, 100));
            }
            server.log().awaitSealing(Duration.ofSeconds(30));
            assertThat(remote.applyRetention(null, 1).dropped()).isNotEmpty();
            long first = remote.firstSequence();
            assertThat(first).isPositive();
            assertThatThrownBy(
                            () ->
                                    drain(
                                            remote.scanBySequence(
                                                    KeyRange.all(),
                                                    SeqRange.all().failIfDropped())))
                    .isInstanceOfSatisfying(
                            SequenceDroppedException.class,
                            e -> {
                                assertThat(e.requested()).isZero();
                                assertThat(e.firstAvailable()).isEqualTo(first);
                            });
        }
    }

    @Test
    void tokensHaveTwoRoles() throws Exception {
        ServerConfig.Builder config =
                ServerConfig.builder()
                        .readTokens(Set.of("reader-secret"))
                        .writeTokens(Set.of("writer-secret"));
        try (LogServer server = serve(config);
                RemoteLog writer =
                        connect(server, ClientConfig.defaults().withToken("writer-secret"));
                RemoteLog reader =
                        connect(server, ClientConfig.defaults().withToken("reader-secret"))) {
            writer.append(List.of(Record.of("k", "v")));
            assertThat(drain(reader.scan("k", SeqRange.all()))).hasSize(1);
            assertThatThrownBy(() -> reader.append(List.of(Record.of("k", "w"))))
                    .isInstanceOf(LogAccessDeniedException.class)
                    .hasMessageContaining("write token");
            assertThatThrownBy(() -> reader.applyRetention(null, 1))
                    .isInstanceOf(LogAccessDeniedException.class);
            assertThatThrownBy(() -> connect(server, ClientConfig.defaults()))
                    .isInstanceOf(LogAccessDeniedException.class)
                    .hasMessageContaining("needs a token");
            assertThatThrownBy(() -> connect(server, ClientConfig.defaults().withToken("guess")))
                    .isInstanceOf(LogAccessDeniedException.class)
                    .hasMessageContaining("not known");
            assertThat(writer.nextSequence()).isEqualTo(1);
        }
    }

    @Test
    void readerGroupsAreServedWithTheirRolesAndTypedErrors() throws Exception {
        ServerConfig.Builder config =
                ServerConfig.builder()
                        .readTokens(Set.of("reader-secret"))
                        .writeTokens(Set.of("writer-secret"));
        try (LogServer server = serve(config);
                RemoteLog writer =
                        connect(server, ClientConfig.defaults().withToken("writer-secret"));
                RemoteLog reader =
                        connect(server, ClientConfig.defaults().withToken("reader-secret"))) {
            writer.append(records("k", 5, 4));
            GroupOptions options = GroupOptions.defaults().withAutoCommit(false).withRanges(4);
            List<String> values = new ArrayList<>();
            try (ReaderGroup member = ReaderGroup.join(reader, "g", "m1", options)) {
                while (values.size() < 20) {
                    for (LogEntry e : member.poll(100, Duration.ofSeconds(5))) {
                        values.add(e.keyString() + "=" + e.valueString());
                    }
                }
                member.commit(); // a read token commits positions, as a Kafka consumer does
                assertThat(member.lag()).isZero();
                assertThatThrownBy(() -> member.commitWith(List.of(Record.of("out", "x"))))
                        .isInstanceOf(LogAccessDeniedException.class)
                        .hasMessageContaining("write token");
                // Active members hold off a reset, typed as on the embedded log.
                assertThatThrownBy(() -> writer.groups().reset("g", 0))
                        .isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining("m1");
                assertThatThrownBy(
                                () ->
                                        reader.groups()
                                                .commit("g", "nobody", java.util.Map.of(0, 1L)))
                        .isInstanceOf(io.lsmlog.GroupFencedException.class)
                        .hasMessageContaining("127.0.0.1");
            }
            assertThat(values)
                    .containsExactlyInAnyOrderElementsOf(
                            records("k", 5, 4).stream()
                                    .map(r -> new String(r.key()) + "=" + new String(r.value()))
                                    .toList());
            GroupDescription described = reader.groups().describe("g").orElseThrow();
            assertThat(described.ranges()).hasSize(4);
            assertThat(described.members()).isEmpty();
            assertThat(described.ranges()).allMatch(r -> r.position() == 20 && r.owner() == null);
            assertThat(reader.groups().list()).containsExactly("g");
            assertThatThrownBy(() -> reader.groups().reset("g", 0))
                    .isInstanceOf(LogAccessDeniedException.class);
            writer.groups().reset("g", 10);
            assertThat(GroupLag.of(reader, reader.groups().describe("g").orElseThrow()).total())
                    .isEqualTo(10);
            assertThatThrownBy(() -> reader.groups().delete("g"))
                    .isInstanceOf(LogAccessDeniedException.class);
            assertThat(writer.groups().delete("g")).isTrue();
            assertThat(reader.groups().describe("g")).isEmpty();
        }
    }

    @Test
    void noServerIsATypedErrorWithinTheRetryTime() {
        long start = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                LogClient.open(
                                        URI.create("lsmlog://127.0.0.1:1"),
                                        ClientConfig.defaults()
                                                .withRetryTime(Duration.ofMillis(500))))
                .isInstanceOf(LogUnavailableException.class)
                .hasMessageContaining("lsmlog://127.0.0.1:1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThatThrownBy(() -> LogClient.open(URI.create("http://127.0.0.1:1")))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void metricsArePublishedInPrometheusTextFormat() throws Exception {
        try (LogServer server = serve(ServerConfig.builder().metricsPort(0));
                RemoteLog remote = connect(server, ClientConfig.defaults())) {
            remote.append(records("m", 10, 5));
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + server.metricsPort()
                                                                    + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body())
                    .contains("lsmlog_appended_entries_total 50.0")
                    .contains("lsmlog_frontier 50.0")
                    .contains("lsmlog_appends_total 1.0");
        }
    }
}
