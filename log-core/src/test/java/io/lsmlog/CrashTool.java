package io.lsmlog;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A crash test in the manner of RocksDB's db_crashtest: a {@link CrashWriter} child appends,
 * pipelines, rolls and seals segments, runs retention passes and checkpoints, and is killed with
 * SIGKILL, each cycle at a moment aimed at one of those (or at random). After every kill the log is
 * opened and checked:
 *
 * <ul>
 *   <li>sequences run without a gap from {@link Log#firstSequence()} to {@link Log#nextSequence()},
 *       none used twice;
 *   <li>every batch present is whole; every acknowledged batch is there at the sequences it was
 *       told, unless retention dropped it, and then it is gone whole;
 *   <li>per-key scans, key-range scans and counts agree with the sequence-order scan, before and
 *       after the segments a kill left unsealed are sealed again;
 *   <li>every checkpoint a cycle completed opens and holds the log's entries up to its frontier.
 * </ul>
 *
 * {@code bin/bench crash --cycles 200 --sync both} runs it from the command line; {@code
 * CrashToolITCase} runs a short version in the test suite.
 */
public final class CrashTool {
    public enum SyncMode {
        ON,
        OFF,
        BOTH // alternate per cycle
    }

    public record Options(Path dir, int cycles, SyncMode sync, long seed, PrintStream progress) {}

    public record Report(
            int cycles,
            long acknowledgedBatches,
            long entriesAtEnd,
            long droppedByRetention,
            int checkpointsVerified,
            Map<String, Integer> killsByTarget,
            int killsInsideASeal,
            List<String> violations) {
        public String summary() {
            return cycles
                    + " kill -9 cycles: "
                    + acknowledgedBatches
                    + " acknowledged batches checked, "
                    + entriesAtEnd
                    + " entries in the log at the end, "
                    + droppedByRetention
                    + " dropped by retention, "
                    + checkpointsVerified
                    + " checkpoints verified; kills aimed at "
                    + killsByTarget
                    + ", "
                    + killsInsideASeal
                    + " left a seal half done; "
                    + (violations.isEmpty()
                            ? "nothing lost"
                            : violations.size() + " VIOLATIONS: " + violations);
        }
    }

    record Ack(int run, int batch, int size, long first, long last) {}

    private final Options options;
    private final Path log;
    private final Random rnd;
    private final Map<String, Ack> acked = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Integer> killsByTarget = new TreeMap<>();
    private int killsInsideASeal;
    private int checkpointsVerified;
    private long firstKept;

    private CrashTool(Options options) {
        this.options = options;
        this.log = options.dir().resolve("log");
        this.rnd = new Random(options.seed());
    }

    public static Report run(Options options) throws Exception {
        return new CrashTool(options).runAll();
    }

    private Report runAll() throws Exception {
        long entries = 0;
        for (int cycle = 0; cycle < options.cycles() && violations.size() < 20; cycle++) {
            boolean sync =
                    switch (options.sync()) {
                        case ON -> true;
                        case OFF -> false;
                        case BOTH -> cycle % 2 == 0;
                    };
            List<String> checkpoints = killOne(cycle, sync);
            entries = verify(cycle, checkpoints);
            if (options.progress() != null && (cycle + 1) % 10 == 0) {
                options.progress()
                        .printf(
                                "crash: %d of %d cycles, %,d acknowledged batches, %,d entries,"
                                        + " %d violations%n",
                                cycle + 1,
                                options.cycles(),
                                acked.size(),
                                entries,
                                violations.size());
            }
        }
        long dropped = acked.values().stream().filter(a -> a.last < firstKept).count();
        return new Report(
                options.cycles(),
                acked.size(),
                entries,
                dropped,
                checkpointsVerified,
                Map.copyOf(killsByTarget),
                killsInsideASeal,
                List.copyOf(violations));
    }

    /** Starts a writer, kills it at an aimed moment; returns the checkpoints it completed. */
    private List<String> killOne(int cycle, boolean sync) throws Exception {
        String target =
                List.of("random", "random", "retention", "checkpoint", "seal").get(rnd.nextInt(5));
        killsByTarget.merge(target, 1, Integer::sum);
        ChildProcess p =
                new ChildProcess(
                        CrashWriter.class,
                        log.toString(),
                        String.valueOf(cycle),
                        String.valueOf(sync),
                        String.valueOf(rnd.nextLong()));
        List<String> checkpoints = new ArrayList<>();
        try {
            awaitLine(p, "READY", 120, checkpoints);
            awaitLine(p, "ACK", 120, checkpoints);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3000);
            int segment = -1;
            switch (target) {
                case "random" -> drainFor(p, 20 + rnd.nextInt(400), checkpoints);
                default -> {
                    // Wait for the moment (a pass begins, or an append lands in a new segment,
                    // which starts a seal), then kill a little later; give up after 3 s.
                    while (System.nanoTime() < deadline) {
                        String line = p.poll(10, TimeUnit.MILLISECONDS);
                        if (line == null) {
                            continue;
                        }
                        record(line, checkpoints);
                        if (target.equals("seal") && line.startsWith("ACK ")) {
                            int s = Integer.parseInt(line.split(" ")[6]);
                            if (segment >= 0 && s != segment) {
                                break;
                            }
                            segment = s;
                        } else if (line.equals("BEGIN " + target)) {
                            break;
                        }
                    }
                    drainFor(p, rnd.nextInt(target.equals("seal") ? 30 : 5), checkpoints);
                }
            }
        } finally {
            p.kill(); // SIGKILL on Linux; every line printed before it is queued
        }
        for (String line; (line = p.poll(0, TimeUnit.MILLISECONDS)) != null; ) {
            record(line, checkpoints);
        }
        Path sealing = log.resolve(io.lsmlog.storage.Store.SEALING_DIR);
        if (Files.isDirectory(sealing)) {
            try (Stream<Path> files = Files.list(sealing)) {
                killsInsideASeal += files.findAny().isPresent() ? 1 : 0;
            }
        }
        return checkpoints;
    }

    private void drainFor(ChildProcess p, long millis, List<String> checkpoints)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            String line = p.poll(left, TimeUnit.NANOSECONDS);
            if (line != null) {
                record(line, checkpoints);
            }
        }
    }

    private void awaitLine(ChildProcess p, String prefix, int seconds, List<String> checkpoints)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = p.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException(
                        "the crash writer printed no " + prefix + " within " + seconds + " s");
            }
            record(line, checkpoints);
            if (line.startsWith(prefix)) {
                return;
            }
        }
    }

    private void record(String line, List<String> checkpoints) {
        String[] f = line.split(" ");
        if (f[0].equals("ACK")) {
            Ack a =
                    new Ack(
                            Integer.parseInt(f[1]),
                            Integer.parseInt(f[2]),
                            Integer.parseInt(f[3]),
                            Long.parseLong(f[4]),
                            Long.parseLong(f[5]));
            acked.put(a.run + ":" + a.batch, a);
        } else if (f[0].equals("CHECKPOINT")) {
            checkpoints.add(f[1] + " " + f[2]);
        }
    }

    private void violation(int cycle, String what) {
        violations.add("cycle " + cycle + ": " + what);
    }

    /** Opens the log after a kill and checks it; returns how many entries it holds. */
    private long verify(int cycle, List<String> checkpoints) {
        try (Log l = Log.open(CrashWriter.config(log, false))) {
            long first = l.firstSequence();
            long next = l.nextSequence();
            if (first < firstKept) {
                violation(cycle, "first sequence went back from " + firstKept + " to " + first);
            }
            firstKept = first;
            List<LogEntry> all = Model.drain(l.scanBySequence(KeyRange.all(), SeqRange.all()));
            if (all.size() != next - first) {
                violation(
                        cycle,
                        "sequence scan holds "
                                + all.size()
                                + " entries, expected "
                                + (next - first));
            }
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).sequence() != first + i) {
                    violation(cycle, "sequence " + (first + i) + " is " + all.get(i).sequence());
                    break;
                }
            }
            Map<String, List<LogEntry>> batches = new HashMap<>();
            for (LogEntry e : all) {
                String[] f = e.valueString().split(":");
                batches.computeIfAbsent(f[0] + ":" + f[1], k -> new ArrayList<>()).add(e);
            }
            for (Map.Entry<String, List<LogEntry>> b : batches.entrySet()) {
                List<LogEntry> es = b.getValue();
                int size = Integer.parseInt(es.get(0).valueString().split(":")[3]);
                boolean whole = es.size() == size;
                for (int i = 0; whole && i < es.size(); i++) {
                    whole =
                            es.get(i).sequence() == es.get(0).sequence() + i
                                    && es.get(i).valueString().split(":")[2].equals("" + i);
                }
                if (!whole) { // a batch is in one segment, so retention keeps it or drops it whole
                    violation(
                            cycle,
                            "batch " + b.getKey() + " is not whole: " + es.size() + " of " + size);
                }
            }
            for (Ack a : acked.values()) {
                List<LogEntry> es = batches.get(a.run + ":" + a.batch);
                if (a.last < first) {
                    if (es != null) {
                        violation(
                                cycle, "batch " + a + " is below the first kept sequence " + first);
                    }
                } else if (a.first < first) {
                    violation(cycle, "retention cut acknowledged batch " + a + " at " + first);
                } else if (es == null) {
                    violation(cycle, "acknowledged batch " + a + " is lost");
                } else if (es.get(0).sequence() != a.first
                        || es.get(es.size() - 1).sequence() != a.last) {
                    violation(cycle, "acknowledged batch " + a + " is at " + es.get(0).sequence());
                }
            }
            checkReads(cycle, l, all, "after the kill");
            l.awaitSealing(Duration.ofMinutes(1));
            checkReads(cycle, l, all, "once sealed");
            for (String cp : checkpoints) {
                checkCheckpoint(cycle, cp, all);
            }
            return all.size();
        } finally {
            deleteRecursively(options.dir().resolve("checkpoints"));
        }
    }

    private void checkReads(int cycle, Log l, List<LogEntry> all, String when) {
        if (!Model.drain(l.scanBySequence(KeyRange.all(), SeqRange.all())).equals(all)) {
            violation(cycle, "sequence scan changed " + when);
        }
        // A key-range scan goes segment by segment, key by key within one, sequence within a key.
        List<Segment> segments = l.segments();
        java.util.function.ToIntFunction<LogEntry> segmentOf =
                e -> {
                    int i = segments.size() - 1;
                    while (i > 0 && segments.get(i).startSequence() > e.sequence()) {
                        i--;
                    }
                    return i;
                };
        List<LogEntry> byKey = new ArrayList<>(all);
        byKey.sort(
                Comparator.comparingInt(segmentOf)
                        .thenComparing(LogEntry::key, java.util.Arrays::compareUnsigned)
                        .thenComparingLong(LogEntry::sequence));
        if (!Model.drain(l.scan(KeyRange.all(), SeqRange.all())).equals(byKey)) {
            violation(cycle, "key-range scan differs from the sequence scan " + when);
        }
        for (int k = 0; k < 13; k++) {
            String key = "k" + k;
            List<LogEntry> ofKey = all.stream().filter(e -> e.keyString().equals(key)).toList();
            if (!Model.drain(l.scan(key, SeqRange.all())).equals(ofKey)) {
                violation(cycle, "scan of " + key + " differs " + when);
            }
            if (l.count(key.getBytes(StandardCharsets.UTF_8), SeqRange.all()) != ofKey.size()) {
                violation(cycle, "count of " + key + " is not " + ofKey.size() + " " + when);
            }
        }
        if (l.count(KeyRange.all(), SeqRange.all()) != all.size()) {
            violation(cycle, "count of all keys is not " + all.size() + " " + when);
        }
    }

    /** A completed checkpoint holds every entry below its frontier that the log still holds. */
    private void checkCheckpoint(int cycle, String checkpoint, List<LogEntry> all) {
        String[] f = checkpoint.split(" ");
        long frontier = Long.parseLong(f[1]);
        try (LogReader r = LogReader.open(LogConfig.builder(Path.of(f[0])).build())) {
            if (r.nextSequence() < frontier) {
                violation(
                        cycle,
                        "checkpoint " + f[0] + " ends at " + r.nextSequence() + " < " + frontier);
            }
            List<LogEntry> held =
                    Model.drain(
                            r.scanBySequence(
                                    KeyRange.all(), SeqRange.from(firstKept).upTo(frontier)));
            List<LogEntry> expected = all.stream().filter(e -> e.sequence() < frontier).toList();
            if (!held.equals(expected)) {
                violation(cycle, "checkpoint " + f[0] + " differs from the log below " + frontier);
            }
            checkpointsVerified++;
        } catch (LogException e) {
            violation(cycle, "checkpoint " + f[0] + " does not open: " + e.getMessage());
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code CrashTool [--dir D] [--cycles N] [--sync on|off|both] [--seed S]}: prints progress
     * every 10 cycles and a summary; exits 1 if anything was lost.
     */
    public static void main(String[] args) throws Exception {
        Path dir = null;
        int cycles = 200;
        SyncMode sync = SyncMode.BOTH;
        long seed = System.nanoTime();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--dir" -> dir = Path.of(value);
                case "--cycles" -> cycles = Integer.parseInt(value);
                case "--sync" -> sync = SyncMode.valueOf(value.toUpperCase(java.util.Locale.ROOT));
                case "--seed" -> seed = Long.parseLong(value);
                default -> {
                    System.err.println(
                            "usage: crash [--dir D] [--cycles N] [--sync on|off|both] [--seed S]");
                    System.exit(2);
                }
            }
            i++;
        }
        boolean temporary = dir == null;
        if (temporary) {
            dir = Files.createTempDirectory("lsmlog-crash-");
        } else if (Files.exists(dir.resolve("log"))) {
            System.err.println("crash: " + dir.resolve("log") + " exists; give a new --dir");
            System.exit(2);
        }
        System.out.printf("crash: %d cycles, sync %s, seed %d, in %s%n", cycles, sync, seed, dir);
        Report r = run(new Options(dir, cycles, sync, seed, System.out));
        System.out.println("crash: " + r.summary());
        if (temporary) {
            deleteRecursively(dir);
        }
        System.exit(r.violations().isEmpty() ? 0 : 1);
    }
}
