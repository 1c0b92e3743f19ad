package io.lsmlog.bench;

import io.lsmlog.AppendResult;
import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import io.lsmlog.client.LogClient;
import io.lsmlog.client.RemoteLog;
import io.lsmlog.flink.sink.LsmLogSink;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Scenario "server": the log server over loopback, in its own JVM, next to a Kafka broker (its own
 * JVM) driven by its own client and next to the embedded log, same records, same run. Append: 100 B
 * values, 1,000 keys, batches of 500, 16 in flight (ours: {@code RemoteLog.appendAsync}; Kafka's
 * producer: 256 KiB batches, 5 ms linger, acks=all). Full scan: {@code scan(KeyRange.all())}
 * through the server vs one Kafka consumer vs the embedded scan. Tail: one record appended every 2
 * ms through one client, pushed to a tail of another, on a server with the default settings (no
 * linger); latency from before the append to delivery. Flink: DataGen → exactly-once sink at p=2 on
 * a MiniCluster of 2 TaskManagers, through the server vs KafkaSink.
 */
final class ServerBench {
    private ServerBench() {}

    /** Milliseconds this JVM spent in garbage collection so far (all collectors). */
    static long gcMillis() {
        long ms = 0;
        for (java.lang.management.GarbageCollectorMXBean gc :
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    static Map<String, Object> run(Path base, boolean quick) throws Exception {
        long n = quick ? 300_000 : 2_000_000;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", n);
        Path served = base.resolve("server-log");
        Bench.delete(served);
        // The bulk scenario's pipelined-append settings (2 ms linger) for throughput; the
        // defaults (no linger: an append is written at once) for the tail's latency.
        Served server = Served.start(served, 2);
        Served latencyServer = Served.start(base.resolve("server-latency-log"), 0);
        try (KafkaBroker kafka = KafkaBroker.start(base.resolve("kafka-server"))) {
            URI uri = server.uri();
            BulkBench.Workload w = BulkBench.Workload.of(n, 100);
            System.out.printf("  %,d records of 100 B, 1,000 keys, batches of 500%n", n);
            try (RemoteLog remote = LogClient.open(uri)) {
                double remoteAppend = remoteAppend(remote, w);
                Path embeddedDir = base.resolve("server-embedded");
                double embeddedAppend = BulkBench.oursAppend(embeddedDir, w, true);
                double kafkaAppend = BulkBench.kafkaAppend(kafka, "server-append", w, true);
                Bench.row(
                        "remote append 100 B pipelined vs Kafka (rec/s)",
                        remoteAppend,
                        kafkaAppend,
                        "rec/s");
                Bench.row(
                        "remote append 100 B pipelined vs embedded (rec/s)",
                        remoteAppend,
                        embeddedAppend,
                        "rec/s");
                out.put("append remote rec/s", Math.round(remoteAppend));
                out.put("append embedded rec/s", Math.round(embeddedAppend));
                out.put("append Kafka rec/s", Math.round(kafkaAppend));
                out.put("append remote/Kafka", TailBench.round(remoteAppend / kafkaAppend));
                out.put("append remote/embedded", TailBench.round(remoteAppend / embeddedAppend));

                double remoteScan = BulkBench.best(3, () -> remoteScan(remote, n));
                double kafkaScan =
                        BulkBench.best(3, () -> BulkBench.kafkaScan(kafka, "server-append", n));
                double embeddedScan;
                try (Log l = Log.open(LogConfig.builder(embeddedDir).build())) {
                    l.awaitSealing(Duration.ofMinutes(10));
                    embeddedScan = BulkBench.best(3, () -> BulkBench.fullScan(l, false, n));
                }
                Bench.delete(embeddedDir);
                Bench.row(
                        "remote full scan 100 B vs Kafka consumer (rec/s)",
                        remoteScan,
                        kafkaScan,
                        "rec/s");
                Bench.row(
                        "remote full scan 100 B vs embedded (rec/s)",
                        remoteScan,
                        embeddedScan,
                        "rec/s");
                out.put("scan remote rec/s", Math.round(remoteScan));
                out.put("scan embedded rec/s", Math.round(embeddedScan));
                out.put("scan Kafka rec/s", Math.round(kafkaScan));
                out.put("scan remote/Kafka", TailBench.round(remoteScan / kafkaScan));
                out.put("scan remote/embedded", TailBench.round(remoteScan / embeddedScan));

                Stats tail;
                long clientGcBefore = gcMillis();
                try (RemoteLog writer = LogClient.open(latencyServer.uri())) {
                    tail = tailLatency(latencyServer.uri(), writer, quick ? 1_000 : 5_000);
                }
                long clientGc = gcMillis() - clientGcBefore;
                System.out.println("  remote tail, append -> delivered: " + tail);
                out.put("tail median us", Math.round(tail.medianMicros()));
                out.put("tail p99 us", Math.round(tail.p99Micros()));
                out.put("tail p99.9 us", Math.round(tail.p999Micros()));
                out.put("tail client GC ms", clientGc);
                // The latency server serves only the tail: its GC total is the tail's.
                long serverGc = latencyServer.stop();
                out.put("tail server GC ms", serverGc);
                System.out.printf(
                        "  GC during the tail: client %d ms, server %d ms%n", clientGc, serverGc);
            }
            long flinkN = quick ? 300_000 : 1_000_000;
            double oursSink = flinkSinkThroughServer(uri, flinkN);
            double kafkaSink = kafkaSink(kafka, flinkN);
            Bench.row(
                    "Flink EO sink p=2, 2 TMs, through the server vs KafkaSink (rec/s)",
                    oursSink,
                    kafkaSink,
                    "rec/s");
            out.put("flink records", flinkN);
            out.put("flink sink EO p2 server rec/s", Math.round(oursSink));
            out.put("flink sink EO p2 KafkaSink rec/s", Math.round(kafkaSink));
            out.put("flink sink EO p2 ratio", TailBench.round(oursSink / kafkaSink));
        } finally {
            server.stop();
            latencyServer.stop();
        }
        return out;
    }

    /** A log server in its own JVM on a fresh directory. */
    private record Served(Process process, Path dir, URI uri) {
        static Served start(Path dir, int lingerMs) throws Exception {
            Bench.delete(dir);
            Process p =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Xmx1g",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    BenchServer.class.getName(),
                                    dir.toString(),
                                    Integer.toString(lingerMs))
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
            String line =
                    new BufferedReader(
                                    new InputStreamReader(
                                            p.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
            TailBench.check(line != null && line.startsWith("port "), "server said " + line);
            return new Served(p, dir, URI.create("lsmlog://127.0.0.1:" + line.substring(5)));
        }

        /** Stops the server (again: a no-op); returns its GC milliseconds, -1 if unknown. */
        long stop() throws Exception {
            if (!process.isAlive()) {
                return -1;
            }
            process.getOutputStream().close();
            long gc = -1;
            BufferedReader lines =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("gc ")) {
                    gc = Long.parseLong(line.substring(3).trim());
                }
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Bench.delete(dir);
            return gc;
        }
    }

    private static double remoteAppend(RemoteLog log, BulkBench.Workload w) {
        ArrayDeque<CompletableFuture<AppendResult>> inFlight = new ArrayDeque<>();
        long t0 = System.nanoTime();
        for (long i = 0; i < w.n(); ) {
            List<Record> batch = new ArrayList<>(500);
            for (int j = 0; j < 500 && i < w.n(); j++, i++) {
                batch.add(new Record(w.key(i), w.value(i)));
            }
            inFlight.add(log.appendAsync(batch));
            if (inFlight.size() >= 16) {
                inFlight.poll().join();
            }
        }
        for (CompletableFuture<AppendResult> f : inFlight) {
            f.join();
        }
        return w.n() / ((System.nanoTime() - t0) / 1e9);
    }

    private static double remoteScan(RemoteLog log, long n) {
        long t0 = System.nanoTime();
        long count = 0;
        long bytes = 0;
        List<LogEntry> batch = new ArrayList<>(4096);
        try (LogIterator it = log.scan(KeyRange.all(), SeqRange.all())) {
            while (it.nextBatch(batch, 4096) > 0) {
                for (LogEntry e : batch) {
                    bytes += e.value().length;
                }
                count += batch.size();
                batch.clear();
            }
        }
        TailBench.check(
                count >= n, "the remote scan read " + count + " of " + n + " (" + bytes + " B)");
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * Appends one record every 2 ms through {@code writer}; a tail on a second client records, for
     * each, the time from just before its append to its delivery (both in this JVM: one clock).
     */
    private static Stats tailLatency(URI uri, RemoteLog writer, int count) throws Exception {
        long[] latencies = new long[count];
        try (RemoteLog reader = LogClient.open(uri);
                LogIterator tail = reader.tail(KeyRange.prefix("tail-"), reader.nextSequence())) {
            CompletableFuture<Void> received =
                    CompletableFuture.runAsync(
                            () -> {
                                for (int i = 0; i < count; i++) {
                                    LogEntry e = tail.next();
                                    latencies[i] =
                                            System.nanoTime()
                                                    - ByteBuffer.wrap(e.value()).getLong();
                                }
                            });
            Thread.sleep(200);
            for (int i = 0; i < count; i++) {
                byte[] v = ByteBuffer.allocate(8).putLong(System.nanoTime()).array();
                writer.append(List.of(new Record(("tail-" + (i % 10)).getBytes(), v)));
                Thread.sleep(2);
            }
            received.get(2, TimeUnit.MINUTES);
        }
        return Stats.of(latencies, count);
    }

    /** A MiniCluster of two TaskManagers with one slot each: p=2 runs in both. */
    private static StreamExecutionEnvironment twoTaskManagers() {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MINI_CLUSTER_NUM_TASK_MANAGERS, 2);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        return env;
    }

    private static double flinkSinkThroughServer(URI uri, long n) throws Exception {
        StreamExecutionEnvironment env = twoTaskManagers();
        env.fromSource(FlinkBench.datagen(n), WatermarkStrategy.noWatermarks(), "datagen")
                .sinkTo(
                        LsmLogSink.<Long>builder()
                                .setUri(uri.toString())
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setSinkId("bench-server")
                                .setSerializer((i, ts) -> FlinkBench.record(i))
                                .build());
        return n / FlinkBench.jobSeconds(env.execute("lsmlog sink through the server"));
    }

    private static double kafkaSink(KafkaBroker kafka, long n) throws Exception {
        String topic = "server-flink-sink";
        FlinkKafkaBench.createTopic(kafka, topic, 2);
        Properties props = new Properties();
        props.put("transaction.timeout.ms", "600000");
        props.put("batch.size", "262144");
        props.put("linger.ms", "5");
        StreamExecutionEnvironment env = twoTaskManagers();
        env.fromSource(FlinkBench.datagen(n), WatermarkStrategy.noWatermarks(), "datagen")
                .sinkTo(
                        KafkaSink.<Long>builder()
                                .setBootstrapServers(kafka.bootstrap())
                                .setKafkaProducerConfig(props)
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setTransactionalIdPrefix("bench-server")
                                .setRecordSerializer(
                                        KafkaRecordSerializationSchema.<Long>builder()
                                                .setTopic(topic)
                                                .setKeySerializationSchema(
                                                        new FlinkKafkaBench.KeyOf())
                                                .setValueSerializationSchema(
                                                        new FlinkKafkaBench.ValueOf())
                                                .build())
                                .build());
        return n / FlinkBench.jobSeconds(env.execute("kafka sink, 2 TaskManagers"));
    }
}
