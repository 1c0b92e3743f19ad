package io.lsmlog.bench;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.Record;
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
 * Scenario 1: log-core's append vs raw RocksDB WriteBatch puts of the same bytes (key + 8-byte
 * sequence, value), same RocksDB build, in the same run; 1,000 keys, 100-byte and 1 KiB values,
 * batches of 1, 10, 100 and 500, WAL sync off and on.
 */
final class AppendBench {
    private AppendBench() {}

    static Map<String, Object> run(Path base, boolean quick) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int valueBytes : new int[] {100, 1024}) {
            for (boolean sync : new boolean[] {false, true}) {
                for (int batch : new int[] {1, 10, 100, 500}) {
                    long n = records(quick, sync, batch, valueBytes);
                    double ours = ours(base, n, batch, valueBytes, sync);
                    double raw = raw(base, n, batch, valueBytes, sync);
                    String name =
                            String.format(
                                    "value %d B, batch %d, sync %s",
                                    valueBytes, batch, sync ? "on" : "off");
                    Bench.row("append " + name + " (records/s)", ours, raw, "rec/s");
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("records", n);
                    r.put("ours records/s", Math.round(ours));
                    r.put("raw RocksDB records/s", Math.round(raw));
                    r.put("ratio", TailBench.round(ours / raw));
                    out.put(name, r);
                }
            }
        }
        return out;
    }

    /** Enough records for a stable rate without letting fsync-per-batch runs take minutes. */
    private static long records(boolean quick, boolean sync, int batch, int valueBytes) {
        long n = valueBytes > 100 ? 100_000 : 300_000;
        if (sync) {
            n = Math.min(n, batch * 400L); // ~400 fsyncs
        }
        return quick ? Math.max(batch, n / 5) : n;
    }

    private static List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        for (int k = 0; k < 1000; k++) {
            keys.add(("key-" + k).getBytes());
        }
        return keys;
    }

    private static double ours(Path base, long n, int batch, int valueBytes, boolean sync) {
        Path dir = base.resolve("append-ours");
        Bench.delete(dir);
        Random rnd = new Random(1);
        List<byte[]> keys = keys();
        byte[] value = new byte[valueBytes];
        long t0;
        try (Log log = Log.open(LogConfig.builder(dir).sync(sync).build())) {
            t0 = System.nanoTime();
            for (long done = 0; done < n; ) {
                List<Record> records = new ArrayList<>(batch);
                for (int i = 0; i < batch && done < n; i++, done++) {
                    rnd.nextBytes(value);
                    records.add(new Record(keys.get(rnd.nextInt(keys.size())), value.clone()));
                }
                log.append(records);
            }
        }
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        Bench.delete(dir);
        return rate;
    }

    private static double raw(Path base, long n, int batch, int valueBytes, boolean sync)
            throws Exception {
        Path dir = base.resolve("append-raw");
        Bench.delete(dir);
        Random rnd = new Random(1);
        List<byte[]> keys = keys();
        byte[] value = new byte[valueBytes];
        long t0;
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, dir.toString());
                WriteOptions wo = new WriteOptions().setSync(sync)) {
            long seq = 0;
            t0 = System.nanoTime();
            for (long done = 0; done < n; ) {
                try (WriteBatch wb = new WriteBatch()) {
                    for (int i = 0; i < batch && done < n; i++, done++) {
                        rnd.nextBytes(value);
                        byte[] key = keys.get(rnd.nextInt(keys.size()));
                        byte[] k = RawLayout.storageKey(key, seq++);
                        wb.put(k, value.clone());
                    }
                    db.write(wo, wb);
                }
            }
        }
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        Bench.delete(dir);
        return rate;
    }
}
