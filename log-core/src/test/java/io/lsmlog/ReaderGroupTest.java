package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaderGroupTest {
    @TempDir Path dir;

    private static final GroupOptions FAST =
            GroupOptions.defaults()
                    .withSessionTimeout(Duration.ofMillis(600))
                    .withHeartbeatInterval(Duration.ofMillis(50))
                    .withAutoCommit(false)
                    .withRanges(8);

    private static void append(Log log, int keys, int perKey) {
        List<Record> batch = new ArrayList<>();
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                batch.add(Record.of("key-" + k, "v" + i));
            }
        }
        log.append(batch);
    }

    /** Per key: the values seen, in order. */
    private static void drain(ReaderGroup m, Map<String, List<String>> seen, int until)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (count(seen) < until && System.nanoTime() < deadline) {
            for (LogEntry e : m.poll(500, Duration.ofMillis(50))) {
                seen.computeIfAbsent(
                                new String(e.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(new String(e.value(), StandardCharsets.UTF_8));
            }
        }
    }

    private static int count(Map<String, List<String>> seen) {
        return seen.values().stream().mapToInt(List::size).sum();
    }

    @Test
    void twoMembersShareTheKeysInOrderAndResumeFromCommittedPositions() throws Exception {
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            append(log, 40, 25); // 1,000 entries
            // One map, filled in poll order: a key handed from one member to the other must
            // continue where the first stopped, with nothing repeated or skipped.
            Map<String, List<String>> all = new HashMap<>();
            int[] perMember = new int[2];
            try (ReaderGroup m1 = ReaderGroup.join(log, "billing", "m1", FAST);
                    ReaderGroup m2 = ReaderGroup.join(log, "billing", "m2", FAST)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                ReaderGroup[] members = {m1, m2};
                while (count(all) < 1000 && System.nanoTime() < deadline) {
                    for (int m = 0; m < 2; m++) {
                        for (LogEntry e : members[m].poll(50, Duration.ofMillis(20))) {
                            perMember[m]++;
                            all.computeIfAbsent(
                                            new String(e.key(), StandardCharsets.UTF_8),
                                            k -> new ArrayList<>())
                                    .add(new String(e.value(), StandardCharsets.UTF_8));
                        }
                    }
                }
                assertThat(count(all)).isEqualTo(1000);
                assertThat(perMember[0]).isPositive();
                assertThat(perMember[1]).isPositive();
                assertThat(m1.assignment().size() + m2.assignment().size()).isEqualTo(8);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    expected.add("v" + i);
                }
                assertThat(all).hasSize(40).allSatisfy((k, v) -> assertThat(v).isEqualTo(expected));
                assertThat(m1.lag()).isZero();
                m1.commit();
                m2.commit();
            }
            GroupDescription d = log.groups().describe("billing").orElseThrow();
            assertThat(d.members()).isEmpty();
            assertThat(d.ranges())
                    .hasSize(8)
                    .allSatisfy(r -> assertThat(r.position()).isEqualTo(1000));

            append(log, 2, 1); // key-0, key-1: two new entries only
            Map<String, List<String>> rest = new HashMap<>();
            try (ReaderGroup m3 = ReaderGroup.join(log, "billing", "m3", FAST)) {
                drain(m3, rest, 2);
                assertThat(m3.poll(10, Duration.ofMillis(100))).isEmpty();
            }
            assertThat(rest)
                    .containsOnly(
                            Map.entry("key-0", List.of("v0")), Map.entry("key-1", List.of("v0")));
        }
    }

    @Test
    void aMemberFarBehindCatchesUpByWindowsAndHandsARangeOverWithoutRedelivery() throws Exception {
        // Small segments: the catch-up reads several sealed segments and the open one by windows.
        LogConfig config = LogConfig.builder(dir).segmentRollBytes(256 << 10).build();
        int keys = 64;
        int perKey = 3_200; // 204,800 entries: far more than a catch-up's worth behind
        int total = keys * perKey;
        try (Log log = Log.open(config)) {
            for (int i = 0; i < perKey; i += 100) {
                List<Record> batch = new ArrayList<>();
                for (int j = i; j < i + 100; j++) {
                    for (int k = 0; k < keys; k++) {
                        batch.add(Record.of("key-" + k, "v" + j));
                    }
                }
                log.append(batch);
            }
            assertThat(log.segments().size()).isGreaterThan(2);
            assertThat((long) total).isGreaterThan(2 * ReaderGroup.CATCH_UP_SEQUENCES);
            Map<String, List<String>> all = new HashMap<>();
            try (ReaderGroup m1 = ReaderGroup.join(log, "catch-up", "m1", FAST)) {
                while (count(all) < 30_000) {
                    collect(m1.poll(1_000, Duration.ofMillis(20)), all);
                }
                // A second member takes half the ranges while m1 is inside windows: m1 finishes
                // the window it is in before it lets go, so the new owner starts at its end.
                try (ReaderGroup m2 = ReaderGroup.join(log, "catch-up", "m2", FAST)) {
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (count(all) < total && System.nanoTime() < deadline) {
                        collect(m1.poll(1_000, Duration.ofMillis(20)), all);
                        collect(m2.poll(1_000, Duration.ofMillis(20)), all);
                    }
                    assertThat(m2.assignment()).isNotEmpty();
                    assertThat(m1.poll(10, Duration.ofMillis(50))).isEmpty();
                    assertThat(m2.poll(10, Duration.ofMillis(50))).isEmpty();
                    assertThat(m1.lag() + m2.lag()).isZero();
                    m1.commit();
                    m2.commit();
                }
            }
            assertThat(count(all)).isEqualTo(total); // nothing delivered twice
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perKey; i++) {
                expected.add("v" + i);
            }
            assertThat(all).hasSize(keys).allSatisfy((k, v) -> assertThat(v).isEqualTo(expected));
            assertThat(log.groups().describe("catch-up").orElseThrow().ranges())
                    .allSatisfy(r -> assertThat(r.position()).isEqualTo(total));
        }
    }

    @Test
    void threeMembersJoiningAtOnceOnThreadsDeliverEveryEntryExactlyOnce() throws Exception {
        // The benchmark's shape: members join together (each join moves ranges from the others
        // while they read), auto-commit on, default heartbeats, catch-up by windows; members stop
        // once everything is consumed (often right at a window's end) and leave cleanly. No
        // member fails, so no entry may come twice.
        int keys = 1_000;
        int perKey = 2000;
        int total = keys * perKey;
        GroupOptions options = GroupOptions.defaults().withAutoCommit(true);
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            for (int i = 0; i < perKey; i += 10) {
                List<Record> batch = new ArrayList<>();
                for (int j = i; j < i + 10; j++) {
                    for (int k = 0; k < keys; k++) {
                        batch.add(Record.of("key-" + k, ("v" + j + " ".repeat(96))));
                    }
                }
                log.append(batch);
            }
            Map<String, List<String>> all = new HashMap<>();
            java.util.concurrent.atomic.AtomicLong consumed =
                    new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<Long>> members = new ArrayList<>();
                for (int m = 0; m < 3; m++) {
                    String id = "m" + m;
                    members.add(
                            pool.submit(
                                    () -> {
                                        long mine = 0;
                                        long deadline =
                                                System.nanoTime()
                                                        + Duration.ofSeconds(60).toNanos();
                                        try (ReaderGroup g =
                                                ReaderGroup.join(log, "together", id, options)) {
                                            while (consumed.get() < total
                                                    && System.nanoTime() < deadline) {
                                                List<LogEntry> got =
                                                        g.poll(2_000, Duration.ofMillis(20));
                                                synchronized (all) {
                                                    collect(got, all);
                                                }
                                                mine += got.size();
                                                consumed.addAndGet(got.size());
                                            }
                                        }
                                        return mine;
                                    }));
                }
                List<Long> perMember = new ArrayList<>();
                for (java.util.concurrent.Future<Long> f : members) {
                    perMember.add(f.get());
                }
                assertThat(perMember.stream().mapToLong(Long::longValue).sum())
                        .as("entries per member %s", perMember)
                        .isEqualTo(total); // nothing delivered twice
                assertThat(perMember).allSatisfy(n -> assertThat(n).isPositive()); // shared
            } finally {
                pool.shutdownNow();
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perKey; i++) {
                expected.add("v" + i + " ".repeat(96));
            }
            assertThat(all).hasSize(keys).allSatisfy((k, v) -> assertThat(v).isEqualTo(expected));
        }
    }

    private static void collect(List<LogEntry> entries, Map<String, List<String>> into) {
        for (LogEntry e : entries) {
            into.computeIfAbsent(
                            new String(e.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(new String(e.value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anExpiredMembersRangesMoveAndItsCommitsAreRefused() throws Exception {
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            append(log, 20, 5);
            Groups groups = log.groups();
            // A member that never heart-beats again: a crashed process.
            GroupAssignment dead = groups.join("g", "dead", Duration.ofMillis(300), 4);
            assertThat(dead.owned()).hasSize(4);
            try (ReaderGroup live = ReaderGroup.join(log, "g", "live", FAST)) {
                Map<String, List<String>> seen = new HashMap<>();
                long start = System.nanoTime();
                drain(live, seen, 100);
                assertThat(count(seen)).isEqualTo(100);
                assertThat(seen)
                        .hasSize(20)
                        .allSatisfy(
                                (k, v) ->
                                        assertThat(v)
                                                .containsExactly("v0", "v1", "v2", "v3", "v4"));
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isLessThan(Duration.ofMillis(300 + 1000 + 2000));
                assertThat(live.assignment()).hasSize(4);
                assertThatThrownBy(() -> groups.commit("g", "dead", Map.of(0, 5L)))
                        .isInstanceOf(GroupFencedException.class)
                        .hasMessageContaining("dead");
                assertThatThrownBy(() -> groups.reset("g", 0))
                        .isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining("live");
            }
            groups.reset("g", 0);
            assertThat(groups.describe("g").orElseThrow().ranges())
                    .allSatisfy(r -> assertThat(r.position()).isZero());
            assertThat(groups.list()).containsExactly("g");
            assertThat(groups.delete("g")).isTrue();
            assertThat(groups.list()).isEmpty();
        }
    }

    @Test
    void commitWithWritesOutputAndPositionsAtomicallyAndSurvivesReopen() throws Exception {
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            append(log, 3, 2);
            try (ReaderGroup m = ReaderGroup.join(log, "copy", "m", FAST.withRanges(2))) {
                Map<String, List<String>> seen = new HashMap<>();
                drain(m, seen, 6);
                AppendResult r = m.commitWith(List.of(Record.of("out", "6")));
                assertThat(r.firstSequence()).isEqualTo(6);
            }
        }
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            GroupDescription d = log.groups().describe("copy").orElseThrow();
            assertThat(d.ranges())
                    .hasSize(2)
                    .allSatisfy(r -> assertThat(r.position()).isGreaterThanOrEqualTo(6));
            assertThat(log.latest("out".getBytes(StandardCharsets.UTF_8))).isPresent();
        }
    }

    @Test
    void aReaderThatIsNotAMemberCommitsWhileTheGroupIsIdle() throws Exception {
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            append(log, 8, 5);
            GroupDescription created = log.groups().create("job", 4);
            assertThat(created.ranges()).hasSize(4);
            assertThat(created.ranges()).allMatch(r -> r.position() == 0);
            assertThat(log.groups().create("job", 9).ranges()).isEqualTo(created.ranges());
            log.groups().commitIdle("job", Map.of(0, 40L, 2, 12L));
            GroupDescription d = log.groups().describe("job").orElseThrow();
            assertThat(d.ranges().stream().map(GroupDescription.Range::position))
                    .containsExactly(40L, 0L, 12L, 0L);
            assertThatThrownBy(() -> log.groups().commitIdle("job", Map.of(4, 1L)))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("no range 4");
            assertThatThrownBy(() -> log.groups().commitIdle("job", Map.of(1, 41L)))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("frontier 40");
            try (ReaderGroup member = ReaderGroup.join(log, "job", "m", FAST)) {
                assertThatThrownBy(() -> log.groups().commitIdle("job", Map.of(1, 3L)))
                        .isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining("while it has members (m)");
            }
        }
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            assertThat(
                            log.groups().describe("job").orElseThrow().ranges().stream()
                                    .map(GroupDescription.Range::position))
                    .containsExactly(40L, 0L, 12L, 0L);
        }
    }
}
