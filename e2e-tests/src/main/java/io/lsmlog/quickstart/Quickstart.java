package io.lsmlog.quickstart;

import io.lsmlog.LogConfig;
import io.lsmlog.LogReader;
import io.lsmlog.Record;
import io.lsmlog.flink.sink.LsmLogSink;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.CloseableIterator;

/**
 * The quickstart: an embedded Flink job writes an order stream for many customer keys into a log
 * through the exactly-once sink, then Flink jobs query it through the source: totals per customer
 * (top 10), one customer's stream (key selection), and orders per second of append time (a tumbling
 * event-time window on the entry timestamps). Usage: {@code bin/quickstart [--records N] [--keys K]
 * [--dir D]}.
 */
public final class Quickstart {
    public static void main(String[] args) throws Exception {
        long records = 1_000_000;
        int keys = 10_000;
        Path dir = Path.of("data", "quickstart");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--records" -> records = Long.parseLong(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: bin/quickstart [--records N] [--keys K] [--dir D]");
                    return;
                }
                default -> {
                    System.err.println("quickstart: unknown option " + args[i] + " (see --help)");
                    System.exit(2);
                }
            }
        }
        if (records < 1 || keys < 1) {
            System.err.println("quickstart: --records and --keys must be positive");
            System.exit(2);
        }
        new Quickstart(records, keys, dir.toAbsolutePath().normalize()).run();
    }

    private final long records;
    private final int keys;
    private final Path dir;

    private Quickstart(long records, int keys, Path dir) {
        this.records = records;
        this.keys = keys;
        this.dir = dir;
    }

    private static StreamExecutionEnvironment env(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    /** Order i: a pseudo-random customer and amount 1..100, as "customer,amount". */
    static String order(long i, int keys) {
        long h = (i + 1) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        return "customer-" + Math.floorMod(h, keys) + "," + (1 + Math.floorMod(h >>> 20, 100));
    }

    private void run() throws Exception {
        deleteRecursively(dir);
        System.out.printf(
                "lsmlog quickstart: %,d orders for %,d customers into %s%n%n", records, keys, dir);

        // 1. Write: DataGen -> LsmLogSink, exactly-once.
        long t0 = System.nanoTime();
        StreamExecutionEnvironment env = env(2);
        env.enableCheckpointing(1000);
        final int k = keys;
        env.fromSource(
                        new DataGeneratorSource<>(
                                (GeneratorFunction<Long, String>) i -> order(i, k),
                                records,
                                RateLimiterStrategy.noOp(),
                                Types.STRING),
                        WatermarkStrategy.noWatermarks(),
                        "orders")
                .sinkTo(
                        LsmLogSink.<String>builder()
                                .setLogConfig(
                                        LogConfig.builder(dir).segmentRollBytes(8L << 20).build())
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setSinkId("quickstart")
                                .setSerializer(
                                        (o, ts) ->
                                                new Record(
                                                        o.substring(0, o.indexOf(','))
                                                                .getBytes(StandardCharsets.UTF_8),
                                                        o.getBytes(StandardCharsets.UTF_8)))
                                .build());
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread progress = new Thread(() -> reportProgress(writing, System.nanoTime()), "progress");
        progress.setDaemon(true);
        progress.start();
        env.execute("quickstart: write orders");
        writing.set(false);
        progress.join();
        double writeSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "step 1  wrote %,d orders exactly-once in %.1f s (%,.0f orders/s)%n%n",
                records, writeSeconds, records / writeSeconds);

        // 2. Totals per customer, top 10.
        t0 = System.nanoTime();
        StreamExecutionEnvironment q = env(2);
        List<Tuple2<String, Long>> totals = new ArrayList<>();
        long[] read = {0}; // every update of a running total is one order read
        try (CloseableIterator<Tuple2<String, Long>> it =
                q.fromSource(source(null), WatermarkStrategy.noWatermarks(), "orders")
                        .map(
                                o ->
                                        Tuple2.of(
                                                o.substring(0, o.indexOf(',')),
                                                Long.parseLong(o.substring(o.indexOf(',') + 1))))
                        .returns(Types.TUPLE(Types.STRING, Types.LONG))
                        .keyBy(t -> t.f0)
                        .sum(1)
                        .executeAndCollect("quickstart: totals per customer")) {
            java.util.Map<String, Long> last = new java.util.HashMap<>();
            it.forEachRemaining(
                    t -> {
                        last.put(t.f0, t.f1);
                        read[0]++;
                    });
            last.forEach((c, v) -> totals.add(Tuple2.of(c, v)));
        }
        totals.sort(
                Comparator.comparingLong((Tuple2<String, Long> t) -> -t.f1)
                        .thenComparing(t -> t.f0));
        double totalsSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "step 2  totals per customer (%,d orders read, %,d customers, %.1f s), top 10:%n",
                read[0], totals.size(), totalsSeconds);
        for (Tuple2<String, Long> t : totals.subList(0, Math.min(10, totals.size()))) {
            System.out.printf("          %-16s %,10d%n", t.f0, t.f1);
        }
        System.out.println();

        // 3. One customer's stream, read through key selection (only that key's entries).
        t0 = System.nanoTime();
        String customer = totals.isEmpty() ? "customer-0" : totals.get(0).f0;
        List<String> stream = new ArrayList<>();
        try (CloseableIterator<String> it =
                env(1).fromSource(
                                source(customer), WatermarkStrategy.noWatermarks(), "one customer")
                        .executeAndCollect("quickstart: one customer")) {
            it.forEachRemaining(stream::add);
        }
        double oneSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "step 3  the top customer's stream, %s: %,d orders (%.1f s), first: %s%n%n",
                customer, stream.size(), oneSeconds, stream.stream().limit(3).toList());

        // 4. Orders per second of append time: a tumbling event-time window on entry timestamps.
        // A sealed segment is read in key order, so timestamps are ordered per key, not per split:
        // allow out-of-orderness up to the segment roll interval (1 h by default).
        t0 = System.nanoTime();
        List<Long> windows = new ArrayList<>();
        try (CloseableIterator<Long> it =
                env(2).fromSource(
                                source(null),
                                WatermarkStrategy.<String>forBoundedOutOfOrderness(
                                        Duration.ofHours(1)),
                                "orders")
                        .map(o -> 1L)
                        .returns(Types.LONG)
                        .windowAll(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
                        .reduce(Long::sum)
                        .executeAndCollect("quickstart: orders per second")) {
            it.forEachRemaining(windows::add);
        }
        double windowSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "step 4  orders per 1-second window of append time (%d windows, %,d orders, %.1f s): %s%n%n",
                windows.size(),
                windows.stream().mapToLong(Long::longValue).sum(),
                windowSeconds,
                windows.subList(0, Math.min(8, windows.size())));

        // 5. Summary.
        try (LogReader log = LogReader.open(LogConfig.builder(dir).build())) {
            long keysInLog = 0;
            try (var it = log.keys(io.lsmlog.KeyRange.all())) {
                while (it.hasNext()) {
                    it.next();
                    keysInLog++;
                }
            }
            System.out.printf(
                    "summary: %,d records, %,d keys, %d segments, %,d bytes on disk, next sequence %,d;"
                            + " write %.1f s, totals %.1f s, one key %.1f s, windows %.1f s%n",
                    log.count(io.lsmlog.KeyRange.all(), io.lsmlog.SeqRange.all()),
                    keysInLog,
                    log.segments().size(),
                    log.diskBytes(),
                    log.nextSequence(),
                    writeSeconds,
                    totalsSeconds,
                    oneSeconds,
                    windowSeconds);
        }
    }

    private LsmLogSource<String> source(String onlyKey) {
        var b =
                LsmLogSource.<String>builder()
                        .setPath(dir.toString())
                        .setBounded(LsmLogPosition.latest())
                        .setDeserializer(LsmLogDeserializer.valueAsString());
        if (onlyKey != null) {
            b.setKeys(List.of(onlyKey));
        }
        return b.build();
    }

    /** Prints the committed frontier once a second while the write job runs. */
    private void reportProgress(AtomicBoolean writing, long start) {
        long last = -1;
        while (writing.get()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            if (!Files.exists(dir.resolve("CURRENT"))) {
                continue;
            }
            try (LogReader log = LogReader.open(LogConfig.builder(dir).build())) {
                long n = log.nextSequence();
                double s = (System.nanoTime() - start) / 1e9;
                if (n != last) {
                    System.out.printf(
                            "        committed %,d / %,d orders (%,.0f orders/s, %.0f s)%n",
                            n, records, n / s, s);
                    last = n;
                }
            } catch (RuntimeException e) {
                // the log is being created; try again next second
            }
        }
    }

    private static void deleteRecursively(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
