package io.lsmlog.quickstart;

import io.lsmlog.LogConfig;
import io.lsmlog.LogReader;
import io.lsmlog.Record;
import io.lsmlog.flink.sink.LsmLogSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * The quickstart: an embedded Flink job writes an order stream for many customer keys into a log
 * through the exactly-once sink, then Flink SQL queries it through the {@code lsmlog} table
 * connector: totals per customer (top 10), one customer's stream (a key predicate pushed down to
 * the source), and orders per second of append time (a tumbling window on the entry timestamp).
 * Usage: {@code bin/quickstart [--records N] [--keys K] [--dir D]}.
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

        // 2-4. Flink SQL over the same log, batch mode: the table reads it up to its frontier.
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        sql.getConfig().set("parallelism.default", "2");
        sql.executeSql(
                "CREATE TABLE orders ("
                        + " customer STRING, amount INT,"
                        + " seq BIGINT METADATA FROM 'sequence' VIRTUAL,"
                        + " ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL"
                        + ") WITH ('connector' = 'lsmlog', 'path' = '"
                        + dir
                        + "', 'format' = 'csv', 'key.fields' = 'customer',"
                        + " 'scan.bounded.mode' = 'latest')");

        // 2. Totals per customer, top 10.
        t0 = System.nanoTime();
        List<Row> top =
                rows(
                        sql,
                        "SELECT customer, SUM(amount) AS total, COUNT(*) AS orders FROM orders"
                                + " GROUP BY customer ORDER BY total DESC, customer LIMIT 10");
        double totalsSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("step 2  totals per customer, top 10 (%.1f s):%n", totalsSeconds);
        System.out.printf("          %-16s %10s %8s%n", "customer", "total", "orders");
        for (Row r : top) {
            System.out.printf(
                    "          %-16s %,10d %,8d%n", r.getField(0), r.getField(1), r.getField(2));
        }
        System.out.println();

        // 3. One customer's stream: the key predicate is pushed down, only that key is read.
        t0 = System.nanoTime();
        String customer = top.isEmpty() ? "customer-0" : (String) top.get(0).getField(0);
        Row one =
                rows(
                                sql,
                                "SELECT COUNT(*), SUM(amount), MIN(seq), MAX(seq) FROM orders"
                                        + " WHERE customer = '"
                                        + customer
                                        + "'")
                        .get(0);
        List<Row> first =
                rows(
                        sql,
                        "SELECT seq, amount FROM orders WHERE customer = '"
                                + customer
                                + "' ORDER BY seq LIMIT 3");
        double oneSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "step 3  %s's stream (key push-down, %.1f s): %,d orders, total %,d,"
                        + " sequences %,d..%,d, first: %s%n%n",
                customer,
                oneSeconds,
                one.getField(0),
                one.getField(1),
                one.getField(2),
                one.getField(3),
                first.stream().map(r -> "#" + r.getField(0) + " " + r.getField(1)).toList());

        // 4. Orders per second of append time: a tumbling window on the entry timestamp.
        t0 = System.nanoTime();
        List<Row> windows =
                rows(
                        sql,
                        "SELECT window_start, COUNT(*) AS orders, SUM(amount) AS amount"
                                + " FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' SECOND))"
                                + " GROUP BY window_start, window_end ORDER BY window_start");
        double windowSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "step 4  orders per 1-second window of append time (%,d %s, %,d orders, %.1f s):%n",
                windows.size(),
                windows.size() == 1 ? "window" : "windows",
                windows.stream().mapToLong(r -> (Long) r.getField(1)).sum(),
                windowSeconds);
        for (Row r : windows.subList(0, Math.min(5, windows.size()))) {
            System.out.printf(
                    "          %s %,8d orders %,10d amount%n",
                    r.getField(0), r.getField(1), r.getField(2));
        }
        System.out.println();

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
                    "summary: %,d records, %,d keys, %,d %s, %,d bytes on disk, next sequence %d;"
                            + " write %.1f s, totals %.1f s, one key %.1f s, windows %.1f s%n",
                    log.count(io.lsmlog.KeyRange.all(), io.lsmlog.SeqRange.all()),
                    keysInLog,
                    log.segments().size(),
                    log.segments().size() == 1 ? "segment" : "segments",
                    log.diskBytes(),
                    log.nextSequence(),
                    writeSeconds,
                    totalsSeconds,
                    oneSeconds,
                    windowSeconds);
        }
    }

    private static List<Row> rows(TableEnvironment t, String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = t.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
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
