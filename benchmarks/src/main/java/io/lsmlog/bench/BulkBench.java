package io.lsmlog.bench;

import io.lsmlog.AppendResult;
import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Scenario "bulk": the bulk paths next to a real Kafka broker (driven by its own Java client) and
 * raw RocksDB (one row per record), same records, same run. 1,000 keys interleaved at random,
 * incompressible values of 100 B (2,000,000 records) and 1 KiB (500,000), batches of 500, WAL sync
 * off (Kafka: acks=all on one broker, which acknowledges from its page cache as we do).
 *
 * <p>Append: blocking (one batch at a time, Kafka: send + flush) and pipelined (ours {@code
 * appendAsync} with 16 batches in flight and a 2 ms linger; Kafka's producer with 256 KiB batches,
 * 5 ms linger). Reads: a full scan of the log (ours: key-range scan of everything; Kafka: one
 * consumer from the beginning of the single partition; raw: one iterator over everything), our
 * sequence-order scan against our key-range scan, and disk bytes per payload byte.
 */
final class BulkBench {
    private static final int KEYS = 1000;
    private static final int BATCH = 500;
    private static final String TOPIC = "bench";

    private BulkBench() {}

    static Map<String, Object> run(Path base, boolean quick) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (KafkaBroker kafka = KafkaBroker.start(base.resolve("kafka"))) {
            for (int valueBytes : new int[] {100, 1024}) {
                long n =
                        valueBytes == 100
                                ? (quick ? 300_000 : 2_000_000)
                                : (quick ? 60_000 : 500_000);
                out.put(valueBytes + " B", one(base, kafka, n, valueBytes));
            }
        }
        return out;
    }

    /**
     * The records: key i is one of 1,000 at random; value i is a slice of a 64 MiB random pool at a
     * scattered offset, copied per record in every system's loop alike — incompressible, as no two
     * values of a block share bytes.
     */
    record Workload(List<byte[]> keys, byte[] pool, int valueBytes, int[] keyOf, long n) {
        static Workload of(long n, int valueBytes) {
            Random rnd = new Random(7);
            List<byte[]> keys = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                keys.add(("key-" + k).getBytes());
            }
            byte[] pool = new byte[64 << 20];
            rnd.nextBytes(pool);
            int[] keyOf = new int[1 << 16];
            for (int i = 0; i < keyOf.length; i++) {
                keyOf[i] = rnd.nextInt(KEYS);
            }
            return new Workload(keys, pool, valueBytes, keyOf, n);
        }

        byte[] key(long i) {
            return keys.get(keyOf[(int) ((i * 40503) & 0xFFFF)]);
        }

        byte[] value(long i) {
            int off = (int) Math.floorMod(i * 2654435761L, (long) pool.length - valueBytes);
            return java.util.Arrays.copyOfRange(pool, off, off + valueBytes);
        }

        long payload() {
            return n * (valueBytes + 7);
        }
    }

    private static Map<String, Object> one(Path base, KafkaBroker kafka, long n, int valueBytes)
            throws Exception {
        Workload w = Workload.of(n, valueBytes);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("records", n);
        String size = valueBytes + " B";
        System.out.printf("  %,d records of %s, 1,000 keys, batches of %d%n", n, size, BATCH);

        // Append, blocking batches.
        Path blocking = base.resolve("bulk-ours-blocking");
        double oursBlocking = oursAppend(blocking, w, false);
        double rawBlocking = rawAppend(base.resolve("bulk-raw"), w);
        double kafkaBlocking = kafkaAppend(kafka, TOPIC + "-blocking-" + valueBytes, w, false);
        Bench.row(
                "append " + size + " blocking vs Kafka (rec/s)",
                oursBlocking,
                kafkaBlocking,
                "rec/s");
        Bench.row(
                "append " + size + " blocking vs raw RocksDB (rec/s)",
                oursBlocking,
                rawBlocking,
                "rec/s");
        Bench.delete(blocking);

        // Append, pipelined; the log and the topic it writes are read below.
        Path log = base.resolve("bulk-ours");
        double oursPipelined = oursAppend(log, w, true);
        String topic = TOPIC + "-" + valueBytes;
        double kafkaPipelined = kafkaAppend(kafka, topic, w, true);
        Bench.row(
                "append " + size + " pipelined vs Kafka (rec/s)",
                oursPipelined,
                kafkaPipelined,
                "rec/s");

        Map<String, Object> append = new LinkedHashMap<>();
        append.put("ours blocking rec/s", Math.round(oursBlocking));
        append.put("raw RocksDB blocking rec/s", Math.round(rawBlocking));
        append.put("Kafka blocking rec/s", Math.round(kafkaBlocking));
        append.put("ours pipelined rec/s", Math.round(oursPipelined));
        append.put("Kafka pipelined rec/s", Math.round(kafkaPipelined));
        append.put("blocking ours/raw", TailBench.round(oursBlocking / rawBlocking));
        append.put("blocking ours/Kafka", TailBench.round(oursBlocking / kafkaBlocking));
        append.put("pipelined ours/Kafka", TailBench.round(oursPipelined / kafkaPipelined));
        r.put("append", append);

        // Reads.
        Map<String, Object> scan = new LinkedHashMap<>();
        try (Log l = Log.open(config(log, false).build())) {
            l.awaitSealing(Duration.ofMinutes(10));
            double oursScan = best(3, () -> fullScan(l, false, n));
            double seqScan = best(3, () -> fullScan(l, true, n));
            double kafkaScan = best(3, () -> kafkaScan(kafka, topic, n));
            double rawScan = best(3, () -> rawScan(base.resolve("bulk-raw"), n));
            Bench.row(
                    "full scan " + size + " vs Kafka consumer (rec/s)",
                    oursScan,
                    kafkaScan,
                    "rec/s");
            Bench.row("full scan " + size + " vs raw RocksDB (rec/s)", oursScan, rawScan, "rec/s");
            Bench.row(
                    "sequence-order scan " + size + " vs our key-range scan (rec/s)",
                    seqScan,
                    oursScan,
                    "rec/s");
            scan.put("ours key-range rec/s", Math.round(oursScan));
            scan.put("ours sequence-order rec/s", Math.round(seqScan));
            scan.put("Kafka consumer rec/s", Math.round(kafkaScan));
            scan.put("raw RocksDB rec/s", Math.round(rawScan));
            scan.put("ours/Kafka", TailBench.round(oursScan / kafkaScan));
            scan.put("ours/raw", TailBench.round(oursScan / rawScan));
            scan.put("sequence/key-range", TailBench.round(seqScan / oursScan));
            scan.put("sequence/Kafka", TailBench.round(seqScan / kafkaScan));
            double oursDisk = (double) l.diskBytes() / w.payload();
            double kafkaDisk = (double) kafka.dataBytes(topic) / w.payload();
            double rawDisk = (double) Bench.sizeOf(base.resolve("bulk-raw")) / w.payload();
            Bench.row("disk bytes / payload " + size + " vs Kafka", oursDisk, kafkaDisk, "x");
            Bench.row("disk bytes / payload " + size + " vs raw RocksDB", oursDisk, rawDisk, "x");
            scan.put("disk/payload ours", TailBench.round(oursDisk));
            scan.put("disk/payload Kafka", TailBench.round(kafkaDisk));
            scan.put("disk/payload raw", TailBench.round(rawDisk));
        }
        r.put("scan", scan);
        Bench.delete(log);
        Bench.delete(base.resolve("bulk-raw"));
        return r;
    }

    private static LogConfig.Builder config(Path dir, boolean linger) {
        return LogConfig.builder(dir).appendLinger(Duration.ofMillis(linger ? 2 : 0));
    }

    static double oursAppend(Path dir, Workload w, boolean pipelined) throws Exception {
        Bench.delete(dir);
        long t0;
        long t1;
        try (Log log = Log.open(config(dir, pipelined).build())) {
            ArrayDeque<CompletableFuture<AppendResult>> inFlight = new ArrayDeque<>();
            t0 = System.nanoTime();
            for (long i = 0; i < w.n; ) {
                List<Record> batch = new ArrayList<>(BATCH);
                for (int j = 0; j < BATCH && i < w.n; j++, i++) {
                    batch.add(new Record(w.key(i), w.value(i)));
                }
                if (pipelined) {
                    inFlight.add(log.appendAsync(batch));
                    if (inFlight.size() >= 16) {
                        inFlight.poll().join();
                    }
                } else {
                    log.append(batch);
                }
            }
            for (CompletableFuture<AppendResult> f : inFlight) {
                f.join();
            }
            t1 = System.nanoTime();
        }
        return w.n / ((t1 - t0) / 1e9);
    }

    private static double rawAppend(Path dir, Workload w) throws Exception {
        Bench.delete(dir);
        long t0;
        long t1;
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, dir.toString());
                WriteOptions wo = new WriteOptions()) {
            t0 = System.nanoTime();
            for (long i = 0; i < w.n; ) {
                try (WriteBatch wb = new WriteBatch()) {
                    for (int j = 0; j < BATCH && i < w.n; j++, i++) {
                        wb.put(RawLayout.storageKey(w.key(i), i), w.value(i));
                    }
                    db.write(wo, wb);
                }
            }
            t1 = System.nanoTime();
        }
        return w.n / ((t1 - t0) / 1e9);
    }

    private static Properties clientProps(KafkaBroker kafka) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrap());
        return p;
    }

    static double kafkaAppend(KafkaBroker kafka, String topic, Workload w, boolean pipelined)
            throws Exception {
        try (Admin admin = Admin.create(clientProps(kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Properties p = clientProps(kafka);
        p.put("acks", "all");
        p.put("batch.size", pipelined ? "262144" : "65536");
        p.put("linger.ms", pipelined ? "5" : "0");
        p.put("buffer.memory", String.valueOf(128L << 20));
        p.put("compression.type", "none");
        AtomicReference<Exception> failed = new AtomicReference<>();
        long t0;
        long t1;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            t0 = System.nanoTime();
            for (long i = 0; i < w.n; ) {
                for (int j = 0; j < BATCH && i < w.n; j++, i++) {
                    producer.send(
                            new ProducerRecord<>(topic, w.key(i), w.value(i)),
                            (md, e) -> {
                                if (e != null) {
                                    failed.compareAndSet(null, e);
                                }
                            });
                }
                if (!pipelined) {
                    producer.flush(); // a blocking batch: wait for its acknowledgement
                }
            }
            producer.flush();
            t1 = System.nanoTime();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        return w.n / ((t1 - t0) / 1e9);
    }

    static double fullScan(Log log, boolean bySequence, long n) {
        long t0 = System.nanoTime();
        long count = 0;
        long bytes = 0;
        try (LogIterator it =
                bySequence
                        ? log.scanBySequence(KeyRange.all(), SeqRange.all())
                        : log.scan(KeyRange.all(), SeqRange.all())) {
            while (it.hasNext()) {
                LogEntry e = it.next();
                bytes += e.value().length;
                count++;
            }
        }
        long t1 = System.nanoTime();
        TailBench.check(count == n, "our scan read " + count + " of " + n + " (" + bytes + " B)");
        return n / ((t1 - t0) / 1e9);
    }

    static double kafkaScan(KafkaBroker kafka, String topic, long n) {
        Properties p = clientProps(kafka);
        p.put("max.poll.records", "10000");
        p.put("fetch.max.bytes", String.valueOf(64 << 20));
        p.put("max.partition.fetch.bytes", String.valueOf(16 << 20));
        p.put("enable.auto.commit", "false");
        p.put("check.crcs", "true");
        long count = 0;
        long bytes = 0;
        long t0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            consumer.position(tp); // connect before the clock starts
            t0 = System.nanoTime();
            while (count < n) {
                ConsumerRecords<byte[], byte[]> recs = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> rec : recs) {
                    bytes += rec.value().length;
                    count++;
                }
            }
        }
        long t1 = System.nanoTime();
        TailBench.check(count == n, "Kafka read " + count + " of " + n + " (" + bytes + " B)");
        return n / ((t1 - t0) / 1e9);
    }

    private static double rawScan(Path dir, long n) {
        try (Options options = new Options();
                RocksDB db = RocksDB.open(options, dir.toString());
                RocksIterator it = db.newIterator()) {
            long t0 = System.nanoTime();
            long count = 0;
            long bytes = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                bytes += it.value().length + k.length;
                count++;
            }
            long t1 = System.nanoTime();
            TailBench.check(count == n, "raw scan read " + count + " of " + n + " (" + bytes + ")");
            return n / ((t1 - t0) / 1e9);
        } catch (org.rocksdb.RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The best of k runs (rates: higher is better), after the first warms caches and JIT. */
    static double best(int k, java.util.function.DoubleSupplier run) {
        double best = 0;
        for (int i = 0; i < k; i++) {
            best = Math.max(best, run.getAsDouble());
        }
        return best;
    }
}
