package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java examples of README.md (log-core), docs/log-core.md and docs/operations.md, run as they
 * are written (paths relative to this module, removed around each test), and a check that every
 * {@code java} block of those pages appears in this file — so the docs cannot drift from code that
 * compiles and runs.
 */
class DocsExamplesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<Path> SCRATCH = List.of(Path.of("data"), Path.of("backups"));

    @BeforeEach
    @AfterEach
    void clean() throws IOException {
        for (Path p : SCRATCH) {
            if (Files.exists(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    @Test
    void readme() {
        // --- README.md
        try (Log log = Log.open(LogConfig.builder(Path.of("data/orders")).build())) {
            AppendResult r =
                    log.append(
                            List.of(
                                    Record.of("customer-7", "order 1"),
                                    Record.of("customer-9", "order 2")));
            try (LogIterator it = log.scan("customer-7", SeqRange.all())) {
                it.forEachRemaining(e -> System.out.println(e.sequence() + " " + e.valueString()));
            }
            long n = log.count(KeyRange.prefix("customer-"), SeqRange.from(r.firstSequence()));
        }
        // ---
        try (LogReader log = LogReader.open(LogConfig.builder(Path.of("data/orders")).build())) {
            assertThat(log.count(KeyRange.prefix("customer-"), SeqRange.all())).isEqualTo(2);
        }
    }

    @Test
    void logCoreGuide() throws Exception {
        // --- docs/log-core.md: open
        LogConfig config =
                LogConfig.builder(Path.of("data/orders"))
                        .segmentRollInterval(Duration.ofHours(1)) // null: never by time
                        .segmentRollBytes(64L << 20) // key+value bytes per segment
                        .sync(false) // true: fsync the WAL on every append
                        .build(); // validates; messages name the option
        try (Log log = Log.open(config)) {
            log.append(List.of(Record.of("customer-7", "order 1")));
        }
        // ---
        byte[] keyBytes = {1, 2};
        byte[] valueBytes = {3};
        long tsMillis = 1_000;
        List<Record> records = List.of(Record.of("k2", "v2"));
        long epoch = 1;
        long position = 0;
        try (Log log = Log.open(config)) {
            // --- docs/log-core.md: append
            AppendResult r =
                    log.append(
                            List.of(
                                    Record.of("k1", "v1"),
                                    new Record(keyBytes, valueBytes, tsMillis)));
            CompletableFuture<AppendResult> f =
                    log.appendAsync(records); // blocks only while the queue is full
            log.flush(); // durability point: fsync the WAL
            // --- docs/log-core.md: markers
            Optional<Marker> m = log.marker("my-producer"); // (epoch, position) or empty
            log.appendWithMarker(
                    records, "my-producer", new Marker(epoch, position + records.size()));
            // ---
            assertThat(r.firstSequence()).isEqualTo(1);
            assertThat(f.get().firstSequence()).isEqualTo(3);
            assertThat(m).isEmpty();
            assertThat(log.marker("my-producer")).contains(new Marker(1, 1));
            assertThat(log.count(KeyRange.all(), SeqRange.all())).isEqualTo(5);
        }
    }

    @Test
    void readerGroup() throws Exception {
        try (Log log = Log.open(LogConfig.builder(Path.of("data/groups")).build())) {
            log.append(List.of(Record.of("a", "1"), Record.of("b", "2"), Record.of("a", "3")));
            // --- docs/log-core.md: reader groups
            GroupOptions options = GroupOptions.defaults().withAutoCommit(false);
            try (ReaderGroup member = ReaderGroup.join(log, "billing", "worker-1", options)) {
                while (running) {
                    for (LogEntry e : member.poll(500, Duration.ofMillis(200))) {
                        handle(e);
                    }
                    member.commit(); // or member.commitWith(outputRecords): output and positions
                    // at once
                }
            }
            // ---
            // Each key in order (a's 1 before its 3); keys of different ranges interleave.
            assertThat(handled)
                    .extracting(LogEntry::valueString)
                    .containsExactlyInAnyOrder("1", "2", "3");
            assertThat(handled)
                    .filteredOn(e -> e.keyString().equals("a"))
                    .extracting(LogEntry::valueString)
                    .containsExactly("1", "3");
            assertThat(log.groups().describe("billing").orElseThrow().ranges())
                    .allSatisfy(r -> assertThat(r.position()).isEqualTo(3));
        }
    }

    private boolean running = true;
    private final List<LogEntry> handled = new ArrayList<>();

    private void handle(LogEntry e) {
        handled.add(e);
        running = handled.size() < 3;
    }

    @Test
    void operationsGuide() throws Exception {
        Path dir = Path.of("data/retained");
        try (Log writer = Log.open(LogConfig.builder(Path.of("data/orders")).build())) {
            writer.append(List.of(Record.of("customer-7", "order 1")));
            // --- docs/operations.md: reader
            LogConfig config =
                    LogConfig.builder(Path.of("data/orders"))
                            .readerRefreshInterval(Duration.ofMillis(100)) // how often to catch up
                            .build();
            try (LogReader reader = LogReader.open(config)) {
                reader.refresh(); // catch up now; returns the new frontier
                try (LogIterator it = reader.scan("customer-7", SeqRange.all())) {
                    it.forEachRemaining(
                            e -> System.out.println(e.sequence() + " " + e.valueString()));
                }
            }
            // ---
            try (LogReader reader = LogReader.open(config)) {
                reader.refresh();
                // Appended while the loop below waits.
                CompletableFuture<Void> appends =
                        CompletableFuture.runAsync(
                                () -> {
                                    sleep(200);
                                    writer.append(
                                            List.of(
                                                    Record.of("customer-1", "a"),
                                                    Record.of("other", "b")));
                                    writer.append(
                                            List.of(
                                                    Record.of("customer-2", "c"),
                                                    Record.of("customer-1", "d")));
                                });
                // --- docs/operations.md: following
                long next = reader.nextSequence(); // or 0, or reader.sequenceAt(timestampMillis)
                while (running) {
                    if (!reader.awaitSequence(next, Duration.ofSeconds(1)))
                        continue; // waits, no polling
                    long frontier = reader.nextSequence();
                    try (LogIterator it =
                            reader.scanBySequence(
                                    KeyRange.prefix("customer-"),
                                    SeqRange.between(next, frontier))) {
                        while (it.hasNext()) {
                            LogEntry e = it.next();
                            handle(e);
                        }
                    }
                    next = frontier;
                }
                // ---
                appends.get();
            }
        }
        assertThat(handled).extracting(LogEntry::valueString).containsExactly("a", "c", "d");

        Files.createDirectories(dir);
        try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(1024).build())) {
            for (int i = 0; i < 3; i++) {
                log.append(List.of(Record.of("k", "v".repeat(1100)))); // a segment each
            }
            // --- docs/operations.md: retention
            LogConfig.builder(dir)
                    .segmentRollInterval(Duration.ofHours(1))
                    .retentionMaxAge(
                            Duration.ofDays(7)) // drop segments whose entries are all older
                    .retentionMaxBytes(50L << 30) // and/or the oldest while the log is larger
                    .retentionCheckInterval(Duration.ofSeconds(30))
                    .build();
            log.applyRetention(Duration.ofDays(1), 0); // one pass now, with other bounds
            // ---
            assertThat(log.segments()).hasSize(3); // nothing is a day old
            // --- docs/operations.md: checkpoint
            log.checkpoint(Path.of("backups/orders-2026-11-25")); // target must not exist
            try (LogReader r =
                    LogReader.open(
                            LogConfig.builder(Path.of("backups/orders-2026-11-25")).build())) {
                System.out.println(
                        r.count(KeyRange.all(), SeqRange.all()) + " entries in the checkpoint");
            }
            // ---
            log.applyRetention(null, 1); // keeps only the newest segment
            handled.clear();
            long next = 0;
            // --- docs/operations.md: behind retention
            try (LogIterator it =
                    log.scanBySequence(KeyRange.all(), SeqRange.from(next).failIfDropped())) {
                it.forEachRemaining(this::handle);
            } catch (SequenceDroppedException e) {
                // e.requested() .. e.firstAvailable() - 1 are gone: decide what that means, then
                // go on
                next = e.firstAvailable();
            }
            // ---
            assertThat(handled).isEmpty();
            assertThat(next).isPositive().isEqualTo(log.firstSequence());
        }
        // --- docs/operations.md: clone
        try (Log fork =
                Log.cloneFrom(
                        Path.of("backups/orders-2026-11-25"),
                        LogConfig.builder(Path.of("data/orders-experiment")).build())) {
            fork.append(
                    List.of(
                            Record.of(
                                    "customer-7",
                                    "what if"))); // never seen by the original or the checkpoint
        }
        // ---
        try (LogReader clone =
                        LogReader.open(
                                LogConfig.builder(Path.of("data/orders-experiment")).build());
                LogReader checkpoint =
                        LogReader.open(
                                LogConfig.builder(Path.of("backups/orders-2026-11-25")).build())) {
            assertThat(clone.count(KeyRange.all(), SeqRange.all())).isEqualTo(4);
            assertThat(checkpoint.count(KeyRange.all(), SeqRange.all())).isEqualTo(3);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Pattern JAVA_BLOCK =
            Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);

    @Test
    void everyJavaBlockOfThesePagesIsInThisFile() throws IOException {
        String here =
                noSpace(Files.readString(Path.of("src/test/java/io/lsmlog/DocsExamplesTest.java")));
        int blocks = 0;
        for (String page : List.of("README.md", "docs/log-core.md", "docs/operations.md")) {
            Matcher m = JAVA_BLOCK.matcher(Files.readString(ROOT.resolve(page)));
            while (m.find()) {
                if (m.group(1).contains("LsmLogSink")) {
                    continue; // the README's Flink example runs in the connector's
                    // DocsExamplesITCase
                }
                blocks++;
                assertThat(here)
                        .as("a java block of %s:%n%s", page, m.group(1))
                        .contains(noSpace(m.group(1)));
            }
        }
        assertThat(blocks).isEqualTo(11);
    }

    /** Without whitespace and comment markers: formatting may re-wrap code and comments. */
    private static String noSpace(String s) {
        return s.replaceAll("\\s+", "").replace("//", "");
    }
}
