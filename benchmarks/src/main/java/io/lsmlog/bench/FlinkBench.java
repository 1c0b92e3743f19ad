package io.lsmlog.bench;

import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogIterator;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import io.lsmlog.flink.sink.LsmLogSink;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Scenario 5: the connector next to log-core in the same run. DataGen → LsmLogSink (at-least-once,
 * exactly-once) vs log-core's own embedded append of the same records; LsmLogSource → discarding vs
 * log-core's full scan; DataGen → discarding as the pipeline's own ceiling.
 */
final class FlinkBench {
    private FlinkBench() {}

    static final int KEYS = 1000;
    static final byte[] VALUE = new byte[100];

    /** The generated record: key k(i mod 1000), a 100-byte value. */
    static Record record(long i) {
        return new Record(("k" + (i % KEYS)).getBytes(), VALUE);
    }

    static StreamExecutionEnvironment env(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    static DataGeneratorSource<Long> datagen(long n) {
        return new DataGeneratorSource<>(
                (GeneratorFunction<Long, Long>) i -> i, n, RateLimiterStrategy.noOp(), Types.LONG);
    }

    /** The job's own run time (the MiniCluster's start-up is not part of it). */
    static double jobSeconds(org.apache.flink.api.common.JobExecutionResult r) {
        return r.getNetRuntime(java.util.concurrent.TimeUnit.MILLISECONDS) / 1000.0;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static Map<String, Object> run(Path base, boolean quick) throws Exception {
        long n = quick ? 500_000 : 2_000_000;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", n);
        out.put("value bytes", VALUE.length);

        // Ceiling: the pipeline alone.
        long t0 = System.nanoTime();
        StreamExecutionEnvironment e0 = env(1);
        e0.fromSource(datagen(n), WatermarkStrategy.noWatermarks(), "datagen")
                .sinkTo(new DiscardingSink<>());
        e0.execute("datagen->discard");
        double pipeline = n / seconds(t0);
        out.put("datagen->discarding records/s", Math.round(pipeline));
        System.out.printf("  %-50s %,12.0f records/s%n", "DataGen -> discarding (p=1)", pipeline);

        // Baseline: log-core's embedded append of the same records, batches of 1000.
        Path coreDir = base.resolve("flink-core-append");
        Bench.delete(coreDir);
        t0 = System.nanoTime();
        try (Log log = Log.open(LogConfig.builder(coreDir).build())) {
            List<Record> batch = new ArrayList<>(1000);
            for (long i = 0; i < n; i++) {
                batch.add(record(i));
                if (batch.size() == 1000) {
                    log.append(batch);
                    batch = new ArrayList<>(1000);
                }
            }
            if (!batch.isEmpty()) {
                log.append(batch);
            }
        }
        double coreAppend = n / seconds(t0);
        out.put("log-core append records/s", Math.round(coreAppend));
        System.out.printf(
                "  %-50s %,12.0f records/s%n",
                "log-core embedded append (batches of 1000)", coreAppend);

        // Baseline: log-core's full scan of that log.
        t0 = System.nanoTime();
        long scanned = 0;
        try (Log log = Log.open(LogConfig.builder(coreDir).build());
                LogIterator it = log.scan(KeyRange.all(), SeqRange.all())) {
            while (it.hasNext()) {
                it.next();
                scanned++;
            }
        }
        double coreScan = scanned / seconds(t0);
        TailBench.check(scanned == n, "log-core scan read " + scanned);
        out.put("log-core scan records/s", Math.round(coreScan));
        System.out.printf("  %-50s %,12.0f records/s%n", "log-core full scan", coreScan);
        Bench.delete(coreDir);

        for (DeliveryGuarantee g :
                List.of(DeliveryGuarantee.AT_LEAST_ONCE, DeliveryGuarantee.EXACTLY_ONCE)) {
            for (int p : List.of(1, 2)) {
                Path dir = base.resolve("flink-sink-" + g + "-" + p);
                Bench.delete(dir);
                StreamExecutionEnvironment env = env(p);
                env.enableCheckpointing(1000);
                env.fromSource(datagen(n), WatermarkStrategy.noWatermarks(), "datagen")
                        .sinkTo(
                                LsmLogSink.<Long>builder()
                                        .setPath(dir.toString())
                                        .setDeliveryGuarantee(g)
                                        .setSinkId("bench")
                                        .setSerializer((i, ts) -> record(i))
                                        .build());
                double rate = n / jobSeconds(env.execute("sink " + g + " p" + p));
                double ratio = rate / coreAppend;
                String name = "DataGen -> LsmLogSink " + g + " p=" + p;
                out.put(name + " records/s", Math.round(rate));
                out.put(name + " / log-core append", TailBench.round(ratio));
                System.out.printf(
                        "  %-50s %,12.0f records/s  (%.2fx log-core append)%n", name, rate, ratio);

                if (g == DeliveryGuarantee.AT_LEAST_ONCE && p == 1) {
                    for (int sp : List.of(1, 2)) {
                        StreamExecutionEnvironment se = env(sp);
                        se.fromSource(
                                        LsmLogSource.<byte[]>builder()
                                                .setPath(dir.toString())
                                                .setBounded(LsmLogPosition.latest())
                                                .setDeserializer(LsmLogDeserializer.valueAsBytes())
                                                .build(),
                                        WatermarkStrategy.noWatermarks(),
                                        "lsmlog")
                                .sinkTo(new DiscardingSink<>());
                        double srate = n / jobSeconds(se.execute("source p" + sp));
                        String sname = "LsmLogSource -> discarding p=" + sp;
                        out.put(sname + " records/s", Math.round(srate));
                        out.put(sname + " / log-core scan", TailBench.round(srate / coreScan));
                        System.out.printf(
                                "  %-50s %,12.0f records/s  (%.2fx log-core scan)%n",
                                sname, srate, srate / coreScan);
                    }
                }
                Bench.delete(dir);
            }
        }
        return out;
    }
}
