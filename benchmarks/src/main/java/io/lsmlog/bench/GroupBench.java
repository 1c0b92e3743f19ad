package io.lsmlog.bench;

import io.lsmlog.GroupDescription;
import io.lsmlog.GroupLag;
import io.lsmlog.GroupOptions;
import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogIterator;
import io.lsmlog.ReaderGroup;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reader groups (embedded): (a) three members consuming a log against one key-range scan of the
 * same data, (b) how long until a member's ranges are owned by the others after it leaves and after
 * it stops heart-beating, (c) an exact lag query over 100,000 keys.
 */
final class GroupBench {
    private static final int VALUE_BYTES = 100;

    private GroupBench() {}

    static Map<String, Object> run(Path base, boolean quick) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("consume", consume(base.resolve("group-consume"), quick ? 300_000 : 2_000_000));
        out.put("rebalance", rebalance(base.resolve("group-rebalance")));
        out.put("lag", lag(base.resolve("group-lag"), quick));
        return out;
    }

    private static void load(Log log, long n, int keys) {
        Random random = new Random(7);
        byte[] value = new byte[VALUE_BYTES];
        List<Record> batch = new ArrayList<>(1000);
        for (long i = 0; i < n; i++) {
            random.nextBytes(value);
            batch.add(new Record(("key-" + (i % keys)).getBytes(), value.clone()));
            if (batch.size() == 1000) {
                log.append(batch);
                batch = new ArrayList<>(1000);
            }
        }
        if (!batch.isEmpty()) {
            log.append(batch);
        }
        log.flush();
    }

    private static Map<String, Object> consume(Path dir, long n) throws Exception {
        Bench.delete(dir);
        Map<String, Object> r = new LinkedHashMap<>();
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            System.out.printf("  loading %,d entries of %d B over 1,000 keys%n", n, VALUE_BYTES);
            load(log, n, 1000);
            double best = Double.MAX_VALUE;
            double bestGroup = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                long scanned = 0;
                try (LogIterator it = log.scan(KeyRange.all(), SeqRange.all())) {
                    while (it.hasNext()) {
                        it.next();
                        scanned++;
                    }
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                if (scanned != n) {
                    throw new IllegalStateException("scan read " + scanned + " of " + n);
                }
                bestGroup = Math.min(bestGroup, groupOnce(log, "round-" + round, n));
            }
            Bench.row("3 members consume the log, entries/s", n / bestGroup, n / best, "e/s");
            System.out.println(
                    "   (baseline: one key-range scan of the same log in this process; target"
                            + " >= 0.8)");
            r.put("entries", n);
            r.put("group entries/s", n / bestGroup);
            r.put("scan entries/s", n / best);
            r.put("ratio", best / bestGroup);
        }
        return r;
    }

    /** Seconds until three members (threads) have consumed all n entries. */
    private static double groupOnce(Log log, String group, long n) throws Exception {
        GroupOptions options = GroupOptions.defaults().withAutoCommit(true);
        AtomicLong consumed = new AtomicLong();
        long[] perMember = new long[3];
        ExecutorService pool = Executors.newFixedThreadPool(3);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> members = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                String id = "m" + m;
                int slot = m;
                members.add(
                        pool.submit(
                                () -> {
                                    try (ReaderGroup g =
                                            ReaderGroup.join(log, group, id, options)) {
                                        long mine = 0;
                                        while (consumed.get() < n) {
                                            int got = g.poll(2_000, Duration.ofMillis(20)).size();
                                            mine += got;
                                            consumed.addAndGet(got);
                                        }
                                        perMember[slot] = mine;
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : members) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (consumed.get() != n) {
            throw new IllegalStateException("the group consumed " + consumed + " of " + n);
        }
        System.out.printf(
                "   %s: %.2f s, entries per member %,d / %,d / %,d%n",
                group, seconds, perMember[0], perMember[1], perMember[2]);
        log.groups().delete(group);
        return seconds;
    }

    private static Map<String, Object> rebalance(Path dir) throws Exception {
        Bench.delete(dir);
        Map<String, Object> r = new LinkedHashMap<>();
        Duration session = Duration.ofSeconds(3);
        GroupOptions options =
                GroupOptions.defaults()
                        .withSessionTimeout(session)
                        .withHeartbeatInterval(Duration.ofMillis(300));
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            load(log, 100_000, 1000);
            try (ReaderGroup stays = ReaderGroup.join(log, "g", "stays", options)) {
                // A member that leaves (close: commits, frees its ranges).
                ReaderGroup leaves = ReaderGroup.join(log, "g", "leaves", options);
                awaitOwners(log, stays, () -> poll(leaves), 2);
                long t0 = System.nanoTime();
                leaves.close();
                double left = awaitOwners(log, stays, () -> {}, 1) - t0;
                // A member that stops heart-beating: joined through the protocol, heart-beating
                // until it owns its share, then never heard of again (a crashed process).
                log.groups().join("g", "crashes", session, 16);
                awaitOwners(log, stays, () -> log.groups().heartbeat("g", "crashes", Map.of()), 2);
                t0 = System.nanoTime();
                double crashed = awaitOwners(log, stays, () -> {}, 1) - t0;
                System.out.printf(
                        "  ranges reassigned after a leave: %.2f s; after a crash: %.2f s (session"
                                + " %d s; target <= session + 1 s)%n",
                        left / 1e9, crashed / 1e9, session.toSeconds());
                r.put("session s", session.toSeconds());
                r.put("after leave s", left / 1e9);
                r.put("after crash s", crashed / 1e9);
            }
        }
        return r;
    }

    /**
     * Polls {@code stays} (a member takes ranges on its polls and heartbeats) until the group's 16
     * ranges have exactly {@code owners} distinct owners and none is moving; returns the time.
     */
    private static long awaitOwners(Log log, ReaderGroup stays, Runnable other, int owners)
            throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            stays.poll(1_000, Duration.ofMillis(5));
            other.run();
            GroupDescription d = log.groups().describe("g").orElseThrow();
            long distinct =
                    d.ranges().stream()
                            .map(GroupDescription.Range::owner)
                            .filter(o -> o != null)
                            .distinct()
                            .count();
            boolean settled =
                    d.ranges().stream().allMatch(x -> x.owner() != null && x.nextOwner() == null);
            if (settled && distinct == owners) {
                return System.nanoTime();
            }
        }
        throw new IllegalStateException("the group did not settle on " + owners + " owners");
    }

    private static void poll(ReaderGroup member) {
        try {
            member.poll(1_000, Duration.ofMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> lag(Path dir, boolean quick) throws Exception {
        Bench.delete(dir);
        Map<String, Object> r = new LinkedHashMap<>();
        int keys = 100_000;
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            load(log, quick ? 200_000 : 1_000_000, keys);
            log.groups().create("g", 16);
            log.groups().reset("g", log.nextSequence() / 2);
            GroupDescription d = log.groups().describe("g").orElseThrow();
            int samples = 20;
            long[] nanos = new long[samples];
            long total = 0;
            for (int i = 0; i < samples + 3; i++) {
                long t0 = System.nanoTime();
                total = GroupLag.of(log, d).total();
                if (i >= 3) { // three warm-up queries
                    nanos[i - 3] = System.nanoTime() - t0;
                }
            }
            Stats s = Stats.of(nanos, samples);
            System.out.printf(
                    "  exact lag of a group over %,d keys (16 ranges, lag %,d): %s (target <= 50"
                            + " ms)%n",
                    keys, total, s);
            r.put("keys", keys);
            r.put("lag", total);
            r.put("median ms", s.medianMicros() / 1000);
            r.put("p99 ms", s.p99Micros() / 1000);
        }
        return r;
    }
}
