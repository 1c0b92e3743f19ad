package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
    @TempDir Path dir;

    @Test
    void readersNeverSeeAGapBelowTheFrontierWhileWritersAppend() throws Exception {
        LogConfig cfg = LogConfig.builder(dir).segmentRollBytes(16 << 10).build();
        int writers = 4;
        int batchesPerWriter = 300;
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 3);
        try (Log log = Log.open(cfg)) {
            List<Future<List<AppendResult>>> appends = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                appends.add(
                        pool.submit(
                                () -> {
                                    List<AppendResult> results = new ArrayList<>();
                                    for (int i = 0; i < batchesPerWriter; i++) {
                                        List<Record> batch = new ArrayList<>();
                                        for (int j = 0; j < 5; j++) {
                                            batch.add(
                                                    Record.of(
                                                            "w" + writer + "-k" + (j % 3),
                                                            writer + ":" + i + ":" + j));
                                        }
                                        results.add(log.append(batch));
                                    }
                                    return results;
                                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(
                        pool.submit(
                                () -> {
                                    int checks = 0;
                                    while (!done.get() || checks == 0) {
                                        long frontier = log.nextSequence();
                                        List<LogEntry> all =
                                                Model.drain(
                                                        log.scanBySequence(
                                                                KeyRange.all(), SeqRange.all()));
                                        // Every sequence below the frontier seen at the start, in
                                        // order.
                                        for (int i = 0; i < Math.min(frontier, all.size()); i++) {
                                            if (all.get(i).sequence() != i) {
                                                problems.add("gap at " + i + ": " + all.get(i));
                                                break;
                                            }
                                        }
                                        if (all.size() < frontier) {
                                            problems.add(
                                                    "saw "
                                                            + all.size()
                                                            + " < frontier "
                                                            + frontier);
                                        }
                                        // Whole appends only: values of one batch come as 5 in a
                                        // row.
                                        if (all.size() % 5 != 0) {
                                            problems.add(
                                                    "partial batch: " + all.size() + " entries");
                                        }
                                        long perKey =
                                                log.count(KeyRange.prefix("w0-"), SeqRange.all());
                                        if (perKey > log.nextSequence()) {
                                            problems.add("count above frontier");
                                        }
                                        checks++;
                                    }
                                    return checks;
                                }));
            }
            List<AppendResult> results = new ArrayList<>();
            for (Future<List<AppendResult>> f : appends) {
                results.addAll(f.get(2, TimeUnit.MINUTES));
            }
            done.set(true);
            for (Future<Integer> f : readers) {
                assertThat(f.get(2, TimeUnit.MINUTES)).isPositive();
            }
            assertThat(problems).isEmpty();
            // No sequence assigned twice, none skipped.
            long total = (long) writers * batchesPerWriter * 5;
            assertThat(results.stream().mapToLong(AppendResult::count).sum()).isEqualTo(total);
            assertThat(results.stream().map(AppendResult::firstSequence).distinct().count())
                    .isEqualTo(results.size());
            assertThat(log.nextSequence()).isEqualTo(total);
            // Each writer's entries of one key appear in its own append order.
            for (int w = 0; w < writers; w++) {
                List<LogEntry> k0 = Model.drain(log.scan("w" + w + "-k0", SeqRange.all()));
                assertThat(k0).hasSize(batchesPerWriter * 2);
                for (int i = 1; i < k0.size(); i++) {
                    assertThat(k0.get(i).sequence()).isGreaterThan(k0.get(i - 1).sequence());
                }
                assertThat(k0.get(0).valueString()).isEqualTo(w + ":0:0");
                assertThat(k0.get(k0.size() - 1).valueString())
                        .isEqualTo(w + ":" + (batchesPerWriter - 1) + ":3");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Appending threads (blocking and pipelined), the writer's own reads, retention passes and
     * checkpoints at once for a few seconds: from the first kept sequence every sequence up to the
     * frontier is there once, every batch is whole, every checkpoint is a whole log, and afterwards
     * every acknowledged batch not dropped by retention is at the sequences it was told.
     */
    @Test
    void appendsReadsRetentionAndCheckpointsAtOnceKeepTheInvariants() throws Exception {
        runAtOnce(false, true);
    }

    /**
     * The same with a {@link LogReader} (a RocksDB secondary instance) reading too. It used to fail
     * in about 1 run of 4: a reader catching up while a retention pass reclaimed files (flush, file
     * deletions, compactions right after the drop) could see a file deletion before the write that
     * dropped the segments and show the new oldest segment incomplete for a few scans. A pass now
     * waits (three refresh intervals, at least 500 ms) between the drop and the reclaim: 0 failures
     * in 18 runs.
     */
    @Test
    void aReaderKeepsTheInvariantsWhileRetentionRuns() throws Exception {
        runAtOnce(true, true);
    }

    private void runAtOnce(boolean withReader, boolean withCheckpoints) throws Exception {
        LogConfig cfg =
                LogConfig.builder(dir.resolve("log"))
                        .segmentRollBytes(16 << 10)
                        .readerRefreshInterval(java.time.Duration.ofMillis(20))
                        .build();
        long runNanos = TimeUnit.SECONDS.toNanos(6);
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> acked = new ConcurrentLinkedQueue<>(); // first, last, size
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Log log = Log.open(cfg);
                LogReader reader = withReader ? LogReader.open(cfg) : null) {
            List<Future<Integer>> tasks = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                tasks.add(
                        pool.submit(
                                () -> {
                                    java.util.Random rnd = new java.util.Random(writer);
                                    int n = 0;
                                    while (!done.get()) {
                                        List<java.util.concurrent.CompletableFuture<AppendResult>>
                                                inFlight = new ArrayList<>();
                                        for (int p = 0; p < 1 + rnd.nextInt(4); p++) {
                                            int size = 1 + rnd.nextInt(8);
                                            List<Record> batch = new ArrayList<>();
                                            for (int j = 0; j < size; j++) {
                                                batch.add(
                                                        Record.of(
                                                                "k" + rnd.nextInt(20),
                                                                writer + ":" + n + ":" + j + ":"
                                                                        + size));
                                            }
                                            n++;
                                            inFlight.add(log.appendAsync(batch));
                                        }
                                        for (var f : inFlight) {
                                            AppendResult r = f.join();
                                            acked.add(
                                                    new long[] {
                                                        r.firstSequence(), r.lastSequence()
                                                    });
                                        }
                                    }
                                    return n;
                                }));
            }
            for (LogRead view :
                    withReader ? List.<LogRead>of(log, reader) : List.<LogRead>of(log)) {
                tasks.add(
                        pool.submit(
                                () -> {
                                    int checks = 0;
                                    while (!done.get() || checks == 0) {
                                        long frontier = view.nextSequence();
                                        List<LogEntry> all =
                                                Model.drain(
                                                        view.scanBySequence(
                                                                KeyRange.all(), SeqRange.all()));
                                        checkWhole(
                                                view == log ? "log" : "reader",
                                                all,
                                                view.firstSequence(),
                                                frontier,
                                                problems);
                                        checks++;
                                    }
                                    return checks;
                                }));
            }
            tasks.add(
                    pool.submit(
                            () -> {
                                int passes = 0;
                                while (!done.get()) {
                                    log.applyRetention(null, 48 << 10);
                                    passes++;
                                    Thread.sleep(100);
                                }
                                return passes;
                            }));
            if (withCheckpoints) {
                tasks.add(
                        pool.submit(
                                () -> {
                                    int checkpoints = 0;
                                    while (!done.get()) {
                                        Path cp = dir.resolve("cp-" + checkpoints++);
                                        long frontier = log.nextSequence();
                                        log.checkpoint(cp);
                                        try (LogReader r =
                                                LogReader.open(LogConfig.builder(cp).build())) {
                                            List<LogEntry> all =
                                                    Model.drain(
                                                            r.scanBySequence(
                                                                    KeyRange.all(),
                                                                    SeqRange.all()));
                                            checkWhole(
                                                    "checkpoint " + cp,
                                                    all,
                                                    r.firstSequence(),
                                                    frontier,
                                                    problems);
                                        }
                                        Thread.sleep(300);
                                    }
                                    return checkpoints;
                                }));
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(runNanos));
            done.set(true);
            for (Future<Integer> f : tasks) {
                assertThat(f.get(2, TimeUnit.MINUTES)).as("rounds of each task").isPositive();
            }
            assertThat(problems).isEmpty();
            assertThat(log.firstSequence()).as("retention dropped segments").isPositive();
            List<LogEntry> all = Model.drain(log.scanBySequence(KeyRange.all(), SeqRange.all()));
            long first = log.firstSequence();
            assertThat(all).hasSize((int) (log.nextSequence() - first));
            for (long[] a : acked) {
                if (a[0] >= first) {
                    LogEntry head = all.get((int) (a[0] - first));
                    LogEntry tail = all.get((int) (a[1] - first));
                    String[] h = head.valueString().split(":");
                    String[] t = tail.valueString().split(":");
                    assertThat(t[0] + ":" + t[1]).isEqualTo(h[0] + ":" + h[1]);
                    assertThat(h[2]).isEqualTo("0");
                    assertThat(Integer.parseInt(t[2]) + 1).isEqualTo(Integer.parseInt(t[3]));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * From {@code firstKept} (read after the scan, so at or above where the scan began) the scan
     * holds every sequence once up to at least {@code frontier} (read before it), in whole batches.
     */
    private static void checkWhole(
            String who,
            List<LogEntry> all,
            long firstKept,
            long frontier,
            ConcurrentLinkedQueue<String> problems) {
        List<LogEntry> kept = all.stream().filter(e -> e.sequence() >= firstKept).toList();
        for (int i = 0; i < kept.size(); i++) {
            if (kept.get(i).sequence() != firstKept + i) {
                problems.add(who + ": gap at " + (firstKept + i) + ", found " + kept.get(i));
                return;
            }
        }
        if (firstKept + kept.size() < frontier) {
            problems.add(
                    who + ": ends at " + (firstKept + kept.size()) + " < frontier " + frontier);
        }
        int i = 0;
        while (i < kept.size()) {
            String[] f = kept.get(i).valueString().split(":");
            int size = Integer.parseInt(f[3]);
            if (!f[2].equals("0") || i + size > kept.size()) {
                problems.add(who + ": partial batch at " + kept.get(i));
                return;
            }
            for (int j = 1; j < size; j++) {
                String[] g = kept.get(i + j).valueString().split(":");
                if (!g[0].equals(f[0]) || !g[1].equals(f[1]) || !g[2].equals("" + j)) {
                    problems.add(who + ": batch " + f[0] + ":" + f[1] + " interleaved");
                    return;
                }
            }
            i += size;
        }
    }

    @Test
    void closingWhileIteratingStopsTheIteratorWithATypedError() {
        LogConfig cfg = LogConfig.builder(dir).build();
        Log log = Log.open(cfg);
        List<Record> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(Record.of("k", "v" + i));
        }
        log.append(batch);
        LogIterator it = log.scan("k", SeqRange.all());
        assertThat(it.next().valueString()).isEqualTo("v0");
        log.close();
        // The buffered chunk may still be served; past it the closed log is reported, no crash.
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> {
                            while (it.hasNext()) {
                                it.next();
                            }
                        })
                .isInstanceOf(LogClosedException.class);
        it.close();
    }
}
