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
