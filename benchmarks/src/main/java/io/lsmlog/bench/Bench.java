package io.lsmlog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark runner behind {@code bin/bench [--quick] [scenario...]}: runs each scenario next to
 * its baseline in the same JVM, prints a table, and writes benchmarks/results/latest.json.
 * Scenarios: bulk (append and full scans next to a real Kafka broker and raw RocksDB), flink-kafka
 * (the connector next to Flink's Kafka connector), server (the log server over loopback next to
 * Kafka and the embedded log), append, scan, tail, writeamp, flink, memory; {@code --quick} runs
 * each on smaller data.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            // JMH micro-benchmarks: bin/bench jmh [JMH options and benchmark regex]
            org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("charts")) {
            // PNG charts of the committed results: bin/bench charts [--results DIR] [--out DIR]
            Charts.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("crash")) {
            // The kill -9 crash test: bin/bench crash [--cycles N] [--sync on|off|both] ...
            io.lsmlog.CrashTool.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        boolean quick = false;
        List<String> scenarios = new ArrayList<>();
        Path out = Path.of("benchmarks", "results", "latest.json");
        Path work = Path.of("data", "bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println(
                            "usage: bin/bench [--quick] [--out FILE] [--work DIR] [append] [scan] [tail]"
                                    + " [writeamp] [flink] [memory] [bulk] [flink-kafka]\n"
                                    + "       bin/bench crash [--cycles N] [--sync on|off|both]"
                                    + " [--seed S] [--dir D]\n"
                                    + "       bin/bench charts [--results DIR] [--out DIR]\n"
                                    + "       bin/bench jmh [JMH options]");
                    return;
                }
                default -> scenarios.add(args[i]);
            }
        }
        // The tailing job: 10 minutes when asked for by name, 4 within a run of everything
        // (which then takes about 10 minutes), 45 s with --quick.
        int tailSeconds = quick ? 45 : scenarios.contains("memory") ? 600 : 240;
        if (scenarios.isEmpty()) {
            scenarios.addAll(
                    List.of(
                            "bulk",
                            "flink-kafka",
                            "server",
                            "append",
                            "scan",
                            "tail",
                            "writeamp",
                            "flink",
                            "groups",
                            "memory"));
        }
        Files.createDirectories(work);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("date", Instant.now().toString());
        results.put("machine", machine());
        results.put("quick", quick);
        for (String s : scenarios) {
            System.out.println("== " + s);
            long t0 = System.nanoTime();
            switch (s) {
                case "tail" -> {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("cost", TailBench.tailCost(work, quick));
                    r.put("latency in-process", TailBench.latencyInProcess(work, quick));
                    r.put("latency cross-process", TailBench.latencyCrossProcess(work, quick));
                    results.put("tail", r);
                }
                case "flink" -> results.put("flink", FlinkBench.run(work, quick));
                case "append" -> results.put("append", AppendBench.run(work, quick));
                case "scan" -> results.put("scan", ScanBench.run(work, quick));
                case "writeamp" -> results.put("writeamp", WriteAmpBench.run(work, quick));
                case "bulk" -> results.put("bulk", BulkBench.run(work, quick));
                case "flink-kafka" -> results.put("flink-kafka", FlinkKafkaBench.run(work, quick));
                case "server" -> results.put("server", ServerBench.run(work, quick));
                case "memory" -> results.put("memory", MemoryBench.run(work, quick, tailSeconds));
                case "groups" -> results.put("groups", GroupBench.run(work, quick));
                default -> {
                    System.err.println(
                            "unknown scenario "
                                    + s
                                    + "; known: append, scan, tail, writeamp, flink, memory, bulk, flink-kafka, server, groups");
                    System.exit(2);
                }
            }
            System.out.printf("   (%s took %.0f s)%n", s, (System.nanoTime() - t0) / 1e9);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(
                out,
                new com.fasterxml.jackson.databind.ObjectMapper()
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(results)
                        + "\n");
        System.out.println("results written to " + out);
        Path charts = out.toAbsolutePath().getParent().resolve("charts");
        for (Path p : Charts.render(List.of(out), charts)) {
            System.out.println("chart written to " + p);
        }
    }

    static void row(String what, double ours, double baseline, String unit) {
        System.out.printf(
                "  %-60s ours %10.2f %s | baseline %10.2f %s | ours/baseline %.2f%n",
                what, ours, unit, baseline, unit, ours / baseline);
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors()
                + " cores, "
                + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB heap, Java "
                + System.getProperty("java.version")
                + ", "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.arch");
    }

    /** Bytes of the files under a directory. */
    static long sizeOf(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new IllegalStateException("cannot measure " + dir, e);
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir, e);
        }
    }
}
