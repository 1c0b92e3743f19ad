package io.lsmlog.flink.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogReader;
import io.lsmlog.Record;
import io.lsmlog.Segment;
import io.lsmlog.flink.internal.LogConfigHolder;
import io.lsmlog.flink.internal.SharedLogs;
import io.lsmlog.flink.source.split.LsmLogSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsmLogSplitEnumeratorTest {
    @TempDir Path tmp;

    /** Three segments, keys a..t in each. */
    private Path threeSegments() {
        Path dir = tmp.resolve("log");
        try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(2048).build())) {
            for (int s = 0; s < 3; s++) {
                List<Record> batch = new ArrayList<>();
                for (char k = 'a'; k <= 't'; k++) {
                    batch.add(Record.of(String.valueOf(k), "x".repeat(150)));
                }
                log.append(batch);
            }
            assertThat(log.segments()).hasSize(3);
        }
        return dir;
    }

    private static List<LsmLogSplit> assignedTo(
            MockSplitEnumeratorContext<LsmLogSplit> ctx, int reader) {
        List<LsmLogSplit> out = new ArrayList<>();
        for (SplitsAssignment<LsmLogSplit> a : ctx.getSplitsAssignmentSequence()) {
            out.addAll(a.assignment().getOrDefault(reader, List.of()));
        }
        return out;
    }

    @Test
    void aLaterSegmentsRangeIsAssignedOnlyAfterTheEarlierCoveringSplitsFinished() throws Throwable {
        Path dir = threeSegments();
        LogConfig cfg = LogConfig.builder(dir).build();
        java.util.Map<String, org.apache.flink.metrics.Gauge<?>> gauges = new java.util.HashMap<>();
        try (MockSplitEnumeratorContext<LsmLogSplit> ctx = capturingGauges(gauges);
                LsmLogSplitEnumerator e =
                        new LsmLogSplitEnumerator(
                                ctx,
                                SharedLogs.reader(LogConfigHolder.of(cfg)),
                                new LsmLogSplitEnumerator.Settings(
                                        List.of(KeyRange.all()), 1024, 1000),
                                new LsmLogEnumState(
                                        0, 60, 0, false, List.of(), List.of(), new HashSet<>()))) {
            ctx.registerReader(new ReaderInfo(0, "h"));
            ctx.registerReader(new ReaderInfo(1, "h"));
            e.addReader(0);
            e.addReader(1);
            e.handleSourceEvent(0, new SplitsFinishedEvent(7L, true, List.of()));
            e.handleSourceEvent(1, new SplitsFinishedEvent(7L, true, List.of()));
            e.start();
            ctx.runPeriodicCallable(0); // discovery: plans all three segments

            // Only segment 0 goes out: every later split overlaps an unfinished earlier one.
            List<LsmLogSplit> r0 = assignedTo(ctx, 0);
            List<LsmLogSplit> r1 = assignedTo(ctx, 1);
            assertThat(r0).isNotEmpty().allMatch(s -> s.segment() == 0 && s.lane() % 2 == 0);
            assertThat(r1).isNotEmpty().allMatch(s -> s.segment() == 0 && s.lane() % 2 == 1);
            // Lanes split the keys: lane 0 holds "a", lane 1 holds "t".
            assertThat(r0).anyMatch(s -> s.keys().contains("a".getBytes()));
            assertThat(r1).anyMatch(s -> s.keys().contains("t".getBytes()));

            // The split counts: segment 0's out, the later segments' held back, none done.
            assertThat(gauges.get("assignedSplits").getValue()).isEqualTo(r0.size() + r1.size());
            assertThat((Integer) gauges.get("waitingSplits").getValue()).isPositive();
            assertThat(gauges.get("finishedSplits").getValue()).isEqualTo(0L);

            // Reader 0 finishes its segment-0 splits: its lane's segment-1 splits follow, lane 1's
            // not.
            e.handleSourceEvent(
                    0,
                    new SplitsFinishedEvent(
                            7L, false, r0.stream().map(LsmLogSplit::splitId).toList()));
            List<LsmLogSplit> r0b =
                    assignedTo(ctx, 0).subList(r0.size(), assignedTo(ctx, 0).size());
            assertThat(gauges.get("finishedSplits").getValue()).isEqualTo((long) r0.size());
            assertThat(r0b).isNotEmpty().allMatch(s -> s.segment() == 1 && s.lane() % 2 == 0);
            assertThat(assignedTo(ctx, 1)).hasSize(r1.size());

            // A stale report from another reader session changes nothing.
            int before = assignedTo(ctx, 1).size();
            e.handleSourceEvent(
                    1,
                    new SplitsFinishedEvent(
                            99L, false, r1.stream().map(LsmLogSplit::splitId).toList()));
            assertThat(assignedTo(ctx, 1)).hasSize(before);

            // Every split assigned so far respects the rule.
            e.handleSourceEvent(
                    1,
                    new SplitsFinishedEvent(
                            7L, false, r1.stream().map(LsmLogSplit::splitId).toList()));
            assertThat(assignedTo(ctx, 1).subList(r1.size(), assignedTo(ctx, 1).size()))
                    .isNotEmpty()
                    .allMatch(s -> s.segment() == 1);
            assertThat(ctx.hasNoMoreSplits(0)).isFalse();
        }
    }

    @Test
    void afterARescaleALanesNextSplitGoesToItsNewReaderOnlyOnceACheckpointSettledTheOldOne()
            throws Throwable {
        Path dir = threeSegments();
        LogConfig cfg = LogConfig.builder(dir).build();
        LsmLogSplitEnumerator.Settings settings =
                new LsmLogSplitEnumerator.Settings(List.of(KeyRange.all()), 1 << 20, 1000);
        // At parallelism 2: two lanes, segment 0's splits assigned, then a savepoint.
        LsmLogEnumState savepoint;
        List<LsmLogSplit> lane0;
        List<LsmLogSplit> lane1;
        try (MockSplitEnumeratorContext<LsmLogSplit> ctx = new MockSplitEnumeratorContext<>(2);
                LsmLogSplitEnumerator e =
                        new LsmLogSplitEnumerator(
                                ctx,
                                SharedLogs.reader(LogConfigHolder.of(cfg)),
                                settings,
                                new LsmLogEnumState(
                                        0, 60, 0, false, List.of(), List.of(), new HashSet<>()))) {
            for (int r = 0; r < 2; r++) {
                ctx.registerReader(new ReaderInfo(r, "h"));
                e.addReader(r);
                e.handleSourceEvent(r, new SplitsFinishedEvent(7L, true, List.of()));
            }
            e.start();
            ctx.runPeriodicCallable(0);
            lane0 = assignedTo(ctx, 0);
            lane1 = assignedTo(ctx, 1);
            assertThat(lane0).isNotEmpty().allMatch(s -> s.segment() == 0 && s.lane() == 0);
            assertThat(lane1).isNotEmpty().allMatch(s -> s.segment() == 0 && s.lane() == 1);
            savepoint = e.snapshotState(1);
        }
        // Restored at parallelism 3. Flink hands the readers' restored splits out evenly, not by
        // lane: say reader 2 got lane 0's. Lane 0's next splits belong to reader 0 (0 % 3).
        try (MockSplitEnumeratorContext<LsmLogSplit> ctx = new MockSplitEnumeratorContext<>(3);
                LsmLogSplitEnumerator e =
                        new LsmLogSplitEnumerator(
                                ctx,
                                SharedLogs.reader(LogConfigHolder.of(cfg)),
                                settings,
                                savepoint)) {
            for (int r = 0; r < 3; r++) {
                ctx.registerReader(new ReaderInfo(r, "h"));
                e.addReader(r);
                e.handleSourceEvent(r, new SplitsFinishedEvent(8L, true, List.of()));
            }
            e.start();
            ctx.runPeriodicCallable(0);
            assertThat(ctx.getSplitsAssignmentSequence()).isEmpty(); // segment 0 still unfinished

            e.handleSourceEvent(
                    2,
                    new SplitsFinishedEvent(
                            8L, false, lane0.stream().map(LsmLogSplit::splitId).toList()));
            e.handleSourceEvent(
                    1,
                    new SplitsFinishedEvent(
                            8L, false, lane1.stream().map(LsmLogSplit::splitId).toList()));
            // Lane 1 stays with reader 1: its next segment follows at once.
            assertThat(assignedTo(ctx, 1)).isNotEmpty().allMatch(s -> s.segment() == 1);
            // Lane 0 moves from reader 2 to reader 0: reader 2's records may still be on their
            // way downstream, so reader 0 waits for a checkpoint behind them.
            assertThat(assignedTo(ctx, 0)).isEmpty();
            e.snapshotState(2);
            assertThat(assignedTo(ctx, 0)).isEmpty();
            e.notifyCheckpointComplete(2);
            assertThat(assignedTo(ctx, 0))
                    .isNotEmpty()
                    .allMatch(s -> s.segment() == 1 && s.lane() == 0);
            assertThat(assignedTo(ctx, 2)).isEmpty();
        }
    }

    @Test
    void finishedSplitsAreConfirmedToReadersWhenTheCheckpointCompletes() throws Throwable {
        Path dir = threeSegments();
        LogConfig cfg = LogConfig.builder(dir).build();
        try (MockSplitEnumeratorContext<LsmLogSplit> ctx = new MockSplitEnumeratorContext<>(1);
                LsmLogSplitEnumerator e =
                        new LsmLogSplitEnumerator(
                                ctx,
                                SharedLogs.reader(LogConfigHolder.of(cfg)),
                                new LsmLogSplitEnumerator.Settings(
                                        List.of(KeyRange.all()), 1 << 20, 1000),
                                new LsmLogEnumState(
                                        0, 60, 0, false, List.of(), List.of(), new HashSet<>()))) {
            ctx.registerReader(new ReaderInfo(0, "h"));
            e.addReader(0);
            e.handleSourceEvent(0, new SplitsFinishedEvent(7L, true, List.of()));
            e.start();
            ctx.runPeriodicCallable(0);
            List<String> first = assignedTo(ctx, 0).stream().map(LsmLogSplit::splitId).toList();
            e.handleSourceEvent(0, new SplitsFinishedEvent(7L, false, first));
            LsmLogEnumState snap = e.snapshotState(1);
            assertThat(snap.unfinished()).noneMatch(s -> first.contains(s.splitId()));
            e.notifyCheckpointComplete(1);
            Map<Integer, List<org.apache.flink.api.connector.source.SourceEvent>> sent =
                    ctx.getSentSourceEvent();
            assertThat(sent.get(0)).containsExactly(new FinishedSplitsCheckpointedEvent(first));
            // Finish everything: a bounded source tells the reader there is no more.
            while (true) {
                List<LsmLogSplit> all = assignedTo(ctx, 0);
                e.handleSourceEvent(
                        0,
                        new SplitsFinishedEvent(
                                7L, false, all.stream().map(LsmLogSplit::splitId).toList()));
                if (assignedTo(ctx, 0).size() == all.size()) {
                    break;
                }
            }
            assertThat(assignedTo(ctx, 0))
                    .extracting(LsmLogSplit::segment)
                    .containsExactly(0, 1, 2);
            assertThat(ctx.hasNoMoreSplits(0)).isTrue();
            // The reader ends; its task finishes after the next checkpoint, so the confirmation
            // of that checkpoint must not be sent to it (an event to a finished task fails the
            // job).
            e.handleSourceEvent(0, new ReaderFinishedEvent());
            e.snapshotState(2);
            e.notifyCheckpointComplete(2);
            assertThat(ctx.getSentSourceEvent().get(0))
                    .containsExactly(new FinishedSplitsCheckpointedEvent(first));
            // A new attempt of the subtask hears again.
            e.addReader(0);
            e.handleSourceEvent(0, new LimitReachedEvent());
            assertThat(ctx.getSentSourceEvent().get(0)).endsWith(new StopReadingEvent());
        }
    }

    @Test
    void sealedSegmentsAreCutBySizeAtKeyQuantiles() {
        Path dir = threeSegments();
        try (LogReader log = LogReader.open(LogConfig.builder(dir).build())) {
            Segment s = log.segments().get(0);
            long bytes = log.approximateBytes(s);
            assertThat(bytes).isPositive();
            List<KeyRange> lanes = List.of(KeyRange.all());
            List<LsmLogSplit> one = SplitPlanner.plan(log, s, lanes, 0, 20, false, bytes * 2);
            assertThat(one).hasSize(1);
            List<LsmLogSplit> four =
                    SplitPlanner.plan(log, s, lanes, 0, 20, false, Math.max(1, bytes / 4));
            assertThat(four.size()).isBetween(4, 5);
            // Pieces tile the lane: each starts where the previous ended, keys a..t all covered.
            assertThat(four.get(0).keyStart()).isNull();
            assertThat(four.get(four.size() - 1).keyEnd()).isNull();
            for (int i = 1; i < four.size(); i++) {
                assertThat(four.get(i).keyStart()).isEqualTo(four.get(i - 1).keyEnd());
            }
            for (char k = 'a'; k <= 't'; k++) {
                byte[] key = {(byte) k};
                assertThat(four.stream().filter(p -> p.keys().contains(key))).hasSize(1);
            }
            // Lanes by key quantiles: two lanes split a..t in the middle.
            List<KeyRange> two = SplitPlanner.lanes(log, List.of(KeyRange.all()), 2);
            assertThat(two).hasSize(2);
            assertThat(two.get(0).end()).isEqualTo("k".getBytes());
        }
    }

    /** A mock context whose metric group keeps the gauges registered on it. */
    private static MockSplitEnumeratorContext<LsmLogSplit> capturingGauges(
            java.util.Map<String, org.apache.flink.metrics.Gauge<?>> gauges) {
        org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup unregistered =
                org.apache.flink.metrics.groups.UnregisteredMetricsGroup
                        .createSplitEnumeratorMetricGroup();
        org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup group =
                (org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup)
                        java.lang.reflect.Proxy.newProxyInstance(
                                LsmLogSplitEnumeratorTest.class.getClassLoader(),
                                new Class<?>[] {
                                    org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup.class
                                },
                                (proxy, method, args) -> {
                                    if (method.getName().equals("gauge") && args.length == 2) {
                                        gauges.put(
                                                (String) args[0],
                                                (org.apache.flink.metrics.Gauge<?>) args[1]);
                                        return args[1];
                                    }
                                    return method.invoke(unregistered, args);
                                });
        return new MockSplitEnumeratorContext<>(2) {
            @Override
            public org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup metricGroup() {
                return group;
            }
        };
    }
}
