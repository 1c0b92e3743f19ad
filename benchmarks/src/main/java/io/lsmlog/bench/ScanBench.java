package io.lsmlog.bench;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogIterator;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Scenario 2: reading one key's stream. (a) One key's entries out of n (1,000 keys, 100-byte
 * values): log-core's per-key scan vs a raw RocksDB prefix scan over the same records stored as key
 * + 8-byte sequence. (b) A key present in 2 of 100 segments, and a key in none: the per-key count
 * index lets the scan skip the segments without the key; the raw baseline is one seek.
 */
final class ScanBench {
    private static final int KEYS = 1000;
    private static final int VALUE_BYTES = 100;

    private ScanBench() {}

    static Map<String, Object> run(Path base, boolean quick) throws Exception {
        long n = quick ? 200_000 : 2_000_000;
        Map<String, Object> out = new LinkedHashMap<>();
        Path few = base.resolve("scan-default-segments");
        Path many = base.resolve("scan-100-segments");
        Path raw = base.resolve("scan-raw");
        Bench.delete(few);
        Bench.delete(many);
        Bench.delete(raw);
        long segmentBytes = n * (VALUE_BYTES + 10) / 100; // ~100 segments
        try (Log defaults = Log.open(LogConfig.builder(few).build());
                Log hundred =
                        Log.open(LogConfig.builder(many).segmentRollBytes(segmentBytes).build());
                Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, raw.toString());
                WriteOptions wo = new WriteOptions()) {
            load(List.of(defaults, hundred), db, wo, n);
            out.put("records", n);
            int samples = quick ? 10 : 20;
            for (Log log : List.of(defaults, hundred)) {
                int segments = log.segments().size();
                long[] oursNanos = new long[samples];
                long[] rawNanos = new long[samples];
                long entries = 0;
                for (int i = 0; i < samples; i++) {
                    byte[] key = key(i * 37 % KEYS);
                    for (int round = 0; round < 2; round++) { // the second, warm read counts
                        long t0 = System.nanoTime();
                        long a = scanOurs(log, key);
                        oursNanos[i] = System.nanoTime() - t0;
                        t0 = System.nanoTime();
                        long b = scanRaw(db, key);
                        rawNanos[i] = System.nanoTime() - t0;
                        TailBench.check(
                                a == b, "both scans read the same entries: " + a + " vs " + b);
                        entries = a;
                    }
                }
                Stats o = Stats.of(oursNanos, samples);
                Stats r = Stats.of(rawNanos, samples);
                String what =
                        String.format("one key's %,d entries, %d segments", entries, segments);
                Bench.row(
                        "scan " + what + " (median µs)", o.medianMicros(), r.medianMicros(), "µs");
                out.put(what + ": ours median µs", TailBench.round(o.medianMicros()));
                out.put(what + ": raw prefix scan median µs", TailBench.round(r.medianMicros()));
                out.put(what + ": ratio", TailBench.round(o.medianMicros() / r.medianMicros()));
            }
            int segments = hundred.segments().size();
            for (String rare : new String[] {"rare", "absent"}) {
                long[] on = new long[samples];
                long[] rn = new long[samples];
                long found = 0;
                for (int i = 0; i < samples; i++) {
                    long t0 = System.nanoTime();
                    found = scanOurs(hundred, rare.getBytes());
                    on[i] = System.nanoTime() - t0;
                    t0 = System.nanoTime();
                    long b = scanRaw(db, rare.getBytes());
                    rn[i] = System.nanoTime() - t0;
                    TailBench.check(found == b, "both scans agree on " + rare);
                }
                Stats os = Stats.of(on, samples);
                Stats rs = Stats.of(rn, samples);
                String what =
                        rare.equals("rare")
                                ? "a key in 2 of " + segments + " segments"
                                : "a key in none of " + segments + " segments";
                Bench.row(
                        "scan " + what + " (median µs)",
                        os.medianMicros(),
                        rs.medianMicros(),
                        "µs");
                out.put(what + ": entries", found);
                out.put(what + ": ours median µs", TailBench.round(os.medianMicros()));
                out.put(what + ": raw seek median µs", TailBench.round(rs.medianMicros()));
                out.put(what + ": ratio", TailBench.round(os.medianMicros() / rs.medianMicros()));
            }
        }
        Bench.delete(few);
        Bench.delete(many);
        Bench.delete(raw);
        return out;
    }

    private static byte[] key(int k) {
        return ("key-" + k).getBytes();
    }

    /** The same records into both: random keys; "rare" once at the start and once at the end. */
    private static void load(List<Log> logs, RocksDB db, WriteOptions wo, long n) throws Exception {
        Random rnd = new Random(5);
        byte[] value = new byte[VALUE_BYTES];
        long seq = 0;
        for (long done = 0; done < n; ) {
            List<Record> batch = new ArrayList<>(500);
            try (WriteBatch wb = new WriteBatch()) {
                for (int i = 0; i < 500 && done < n; i++, done++) {
                    rnd.nextBytes(value);
                    byte[] key =
                            done == 0 || done == n - 1 ? "rare".getBytes() : key(rnd.nextInt(KEYS));
                    batch.add(new Record(key, value.clone()));
                    wb.put(RawLayout.storageKey(key, seq++), value.clone());
                }
                for (Log log : logs) {
                    log.append(batch);
                }
                db.write(wo, wb);
            }
            if (done % (n / 10) < 500) {
                System.out.printf("  loaded %,d of %,d%n", done, n);
            }
        }
    }

    private static long scanOurs(Log log, byte[] key) {
        long count = 0;
        long bytes = 0;
        try (LogIterator it = log.scan(key, SeqRange.all())) {
            while (it.hasNext()) {
                bytes += it.next().value().length;
                count++;
            }
        }
        TailBench.check(bytes == count * VALUE_BYTES, "values read whole");
        return count;
    }

    private static long scanRaw(RocksDB db, byte[] key) {
        long[] bytes = {0};
        long count = RawLayout.prefixScan(db, key, v -> bytes[0] += v.length);
        TailBench.check(bytes[0] == count * VALUE_BYTES, "values read whole");
        return count;
    }
}
