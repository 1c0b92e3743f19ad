package io.lsmlog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 6: memory. Peak resident set size (RSS, from /proc) of the quickstart and of a tailing
 * Flink job (a writer appending at a steady rate, an unbounded source following it) run for a fixed
 * time in a child JVM, sampled every second: a leak shows as RSS still growing at the end. The
 * log's own native memory is bounded by its config (block cache + memtables), reported next to it.
 */
final class MemoryBench {
    private MemoryBench() {}

    /**
     * @param tailSeconds how long the tailing job runs
     */
    static Map<String, Object> run(Path base, boolean quick, int tailSeconds) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("quickstart", quickstart(base, quick ? 100_000 : 1_000_000));
        out.put("tailing job", tailingJob(base, tailSeconds));
        return out;
    }

    private static Map<String, Object> quickstart(Path base, long records) throws Exception {
        Path dir = base.resolve("memory-quickstart");
        Bench.delete(dir);
        Path root = Path.of("").toAbsolutePath();
        ProcessBuilder pb =
                new ProcessBuilder(
                                root.resolve("bin/quickstart").toString(),
                                "--records",
                                Long.toString(records),
                                "--dir",
                                dir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(base.resolve("memory-quickstart.out").toFile());
        Samples s = sample(pb.start(), Long.MAX_VALUE);
        Bench.delete(dir);
        TailBench.check(s.exit == 0, "quickstart exit code " + s.exit);
        System.out.printf(
                "  quickstart, %,d records: peak RSS %,d MiB in %.0f s (JVM default heap)%n",
                records, s.peakKb >> 10, s.seconds);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("records", records);
        r.put("peak RSS MiB", s.peakKb >> 10);
        r.put("seconds", Math.round(s.seconds));
        return r;
    }

    private static Map<String, Object> tailingJob(Path base, int seconds) throws Exception {
        Path dir = base.resolve("memory-tail");
        Bench.delete(dir);
        ProcessBuilder pb =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx512m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                TailJob.class.getName(),
                                dir.toString(),
                                Integer.toString(seconds))
                        .redirectErrorStream(true)
                        .redirectOutput(base.resolve("memory-tail.out").toFile());
        Samples s = sample(pb.start(), seconds + 120L);
        String tail = Files.readString(base.resolve("memory-tail.out"));
        Bench.delete(dir);
        TailBench.check(s.exit == 0, "tailing job exit code " + s.exit + ": " + tail);
        long quarter = s.rssKb.get(s.rssKb.size() / 4);
        long budget = logBudgetMiB();
        long last = s.rssKb.get(s.rssKb.size() - 1);
        System.out.printf(
                "  tailing job, %d s, -Xmx512m, log budget %d MiB (block cache + memtables):"
                        + " peak RSS %,d MiB; RSS at 1/4 %,d MiB, at the end %,d MiB; %s%n",
                seconds, budget, s.peakKb >> 10, quarter >> 10, last >> 10, lastLine(tail));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seconds", seconds);
        r.put("heap max MiB", 512);
        r.put("log budget MiB", budget);
        r.put("peak RSS MiB", s.peakKb >> 10);
        r.put("RSS at 1/4 MiB", quarter >> 10);
        r.put("RSS at end MiB", last >> 10);
        r.put("job", lastLine(tail));
        return r;
    }

    /**
     * The default LogConfig's native memory: the block cache, plus up to two memtables per column
     * family (entries: writeBufferBytes; the two index families: a quarter of it, at least 1 MiB;
     * metadata: 1 MiB) — Store's settings.
     */
    private static long logBudgetMiB() {
        io.lsmlog.LogConfig c = io.lsmlog.LogConfig.builder(Path.of("unused")).build();
        long wb = c.writeBufferBytes();
        long index = Math.max(1 << 20, Math.min(16 << 20, wb / 4));
        return (c.blockCacheBytes() + 2 * (wb + 2 * index + 2 * (1 << 20))) >> 20;
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }

    private record Samples(int exit, long peakKb, List<Long> rssKb, double seconds) {}

    /** Samples the process's RSS once a second until it exits (killed after the deadline). */
    private static Samples sample(Process p, long deadlineSeconds) throws Exception {
        long t0 = System.nanoTime();
        long peak = 0;
        List<Long> rss = new ArrayList<>();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        while (p.isAlive()) {
            long[] v = read(status);
            if (v != null) {
                peak = Math.max(peak, Math.max(v[0], v[1]));
                rss.add(v[1]);
            }
            if ((System.nanoTime() - t0) / 1_000_000_000L > deadlineSeconds) {
                p.destroyForcibly();
                break;
            }
            Thread.sleep(1000);
        }
        int exit = p.waitFor();
        if (rss.isEmpty()) {
            rss.add(0L);
        }
        return new Samples(exit, peak, rss, (System.nanoTime() - t0) / 1e9);
    }

    /** VmHWM (peak) and VmRSS in KiB, or null once the process is gone. */
    private static long[] read(Path status) {
        try {
            long hwm = 0;
            long rss = 0;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return new long[] {hwm, rss};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
