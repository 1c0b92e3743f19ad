package io.lsmlog.bench;

import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.LogRead;
import io.lsmlog.LogReader;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 3: tailing — cost of reading new entries vs number of keys, and append→visible latency.
 */
final class TailBench {
    private TailBench() {}

    /**
     * Reads the newest N entries of a log that holds P entries over K keys, for K = 10 and K =
     * 100,000: by the write index (ours) and by a key-range scan (the baseline without it).
     */
    static Map<String, Object> tailCost(Path base, boolean quick) {
        int preload = quick ? 200_000 : 1_000_000;
        int fresh = quick ? 20_000 : 100_000;
        int rounds = quick ? 3 : 5;
        Map<String, Object> out = new LinkedHashMap<>();
        double[] ours = new double[2];
        int[] keyCounts = {10, 100_000};
        for (int i = 0; i < 2; i++) {
            int keys = keyCounts[i];
            Path dir = base.resolve("tail-" + keys);
            Bench.delete(dir);
            try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(16L << 20).build())) {
                Random rnd = new Random(keys);
                appendRandom(log, rnd, keys, preload);
                long bestIndex = Long.MAX_VALUE;
                long bestRange = Long.MAX_VALUE;
                for (int r = 0; r < rounds; r++) {
                    long from = log.nextSequence();
                    appendRandom(log, rnd, keys, fresh);
                    long t0 = System.nanoTime();
                    long n = drain(log.scanBySequence(KeyRange.all(), SeqRange.from(from)));
                    long t1 = System.nanoTime();
                    long m = drain(log.scan(KeyRange.all(), SeqRange.from(from)));
                    long t2 = System.nanoTime();
                    check(n == fresh && m == fresh, "tail read " + n + "/" + m + " of " + fresh);
                    bestIndex = Math.min(bestIndex, t1 - t0);
                    bestRange = Math.min(bestRange, t2 - t1);
                }
                ours[i] = bestIndex / 1e6;
                out.put("keys=" + keys + " write-index ms", round(bestIndex / 1e6));
                out.put("keys=" + keys + " key-range-scan baseline ms", round(bestRange / 1e6));
                Bench.row(
                        "tail: read "
                                + fresh
                                + " new of "
                                + (preload + fresh * rounds)
                                + ", "
                                + keys
                                + " keys",
                        bestIndex / 1e6,
                        bestRange / 1e6,
                        "ms");
            }
            Bench.delete(dir);
        }
        double ratio = ours[1] / ours[0];
        out.put("ratio 100000 keys / 10 keys (target <= 2)", round(ratio));
        System.out.printf(
                "  tailing cost ratio, 100,000 keys vs 10 keys: %.2fx (target <= 2x)%n", ratio);
        return out;
    }

    private static void appendRandom(Log log, Random rnd, int keys, int count) {
        byte[] value = new byte[100];
        for (int done = 0; done < count; ) {
            int n = Math.min(500, count - done);
            List<Record> batch = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                rnd.nextBytes(value);
                batch.add(new Record(("key-" + rnd.nextInt(keys)).getBytes(), value.clone()));
            }
            log.append(batch);
            done += n;
        }
    }

    private static long drain(LogIterator it) {
        long n = 0;
        try (it) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /** Append→visible latency for a reader in the writer's process (woken by the append). */
    static Map<String, Object> latencyInProcess(Path base, boolean quick) throws Exception {
        int n = quick ? 2_000 : 10_000;
        Path dir = base.resolve("latency-in");
        Bench.delete(dir);
        Stats stats;
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            CompletableFuture<Stats> tail = CompletableFuture.supplyAsync(() -> follow(log, 0, n));
            for (int i = 0; i < n; i++) {
                byte[] v = ByteBuffer.allocate(8).putLong(System.nanoTime()).array();
                log.append(List.of(new Record(("k" + (i % 100)).getBytes(), v)));
                LockSupport.parkNanos(200_000);
            }
            stats = tail.get(2, TimeUnit.MINUTES);
        }
        Bench.delete(dir);
        System.out.println(
                "  append->visible, in-process (awaitSequence woken by the append): " + stats);
        return statsMap(stats);
    }

    /** Append→visible latency for a LogReader following a writer in another JVM. */
    static Map<String, Object> latencyCrossProcess(Path base, boolean quick) throws Exception {
        int n = quick ? 1_000 : 5_000;
        Duration refresh = Duration.ofMillis(5);
        Path dir = base.resolve("latency-x");
        Bench.delete(dir);
        String java =
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p =
                new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                TailWriter.class.getName(),
                                dir.toString(),
                                String.valueOf(n),
                                "1000")
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        Stats stats;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            check("READY".equals(in.readLine()), "writer process did not start");
            try (LogReader reader =
                    LogReader.open(LogConfig.builder(dir).readerRefreshInterval(refresh).build())) {
                p.getOutputStream().write("go\n".getBytes());
                p.getOutputStream().flush();
                stats = follow(reader, 0, n);
            }
            check("DONE".equals(in.readLine()), "writer process failed");
        } finally {
            p.destroy();
            p.waitFor();
        }
        Bench.delete(dir);
        System.out.println(
                "  append->visible, cross-process (LogReader, refresh every "
                        + refresh.toMillis()
                        + " ms): "
                        + stats);
        Map<String, Object> m = statsMap(stats);
        m.put("reader refresh interval ms", refresh.toMillis());
        return m;
    }

    private static Stats follow(LogRead log, long from, int n) {
        long[] lat = new long[n];
        int seen = 0;
        long next = from;
        try {
            while (seen < n) {
                if (!log.awaitSequence(next, Duration.ofSeconds(30))) {
                    throw new IllegalStateException("no new entry within 30 s at " + next);
                }
                try (LogIterator it = log.scanBySequence(KeyRange.all(), SeqRange.from(next))) {
                    while (it.hasNext() && seen < n) {
                        LogEntry e = it.next();
                        long now = System.nanoTime();
                        lat[seen++] = now - ByteBuffer.wrap(e.value()).getLong();
                        next = e.sequence() + 1;
                    }
                }
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return Stats.of(lat, seen);
    }

    private static Map<String, Object> statsMap(Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", s.count());
        m.put("median us", round(s.medianMicros()));
        m.put("p99 us", round(s.p99Micros()));
        m.put("p99.9 us", round(s.p999Micros()));
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark check failed: " + what);
        }
    }
}
