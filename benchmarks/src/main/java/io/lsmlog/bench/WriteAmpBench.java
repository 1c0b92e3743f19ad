package io.lsmlog.bench;

import io.lsmlog.DiskWrites;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.Record;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Scenario 4: write amplification — bytes RocksDB wrote to disk (WAL + flushes + compactions, from
 * its statistics) ÷ user bytes appended (keys + values). A plain load, and a load that rolls many
 * segments with retention on; next to raw RocksDB (default options) given the same records as key +
 * 8-byte sequence. Each load ends with a checkpoint (ours) or flush (raw), so every byte has
 * reached an SST file.
 */
final class WriteAmpBench {
    private static final int KEYS = 1000;
    private static final int VALUE_BYTES = 100;

    private WriteAmpBench() {}

    static Map<String, Object> run(Path base, boolean quick) throws Exception {
        long n = quick ? 300_000 : 2_000_000;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", n);
        out.put("value bytes", VALUE_BYTES);

        Map<String, Object> raw = raw(base, n);
        Map<String, Object> plain =
                ours(base, n, "plain load", LogConfig.builder(base.resolve("wa-plain")));
        long segmentBytes = n * (VALUE_BYTES + 10) / 50;
        Map<String, Object> retained =
                ours(
                        base,
                        n,
                        "50 segments, retention keeps ~10",
                        LogConfig.builder(base.resolve("wa-retention"))
                                .segmentRollBytes(segmentBytes)
                                .retentionMaxBytes(segmentBytes * 10)
                                .retentionCheckInterval(Duration.ofMillis(500)));
        double rawAmp = (double) raw.get("amplification");
        Bench.row(
                "write amplification, plain load",
                (double) plain.get("amplification"),
                rawAmp,
                "x");
        Bench.row(
                "write amplification, rolling segments + retention",
                (double) retained.get("amplification"),
                rawAmp,
                "x");
        out.put("raw RocksDB", raw);
        out.put("plain load", plain);
        out.put("rolling segments with retention", retained);
        return out;
    }

    private static Map<String, Object> ours(Path base, long n, String what, LogConfig.Builder b) {
        LogConfig config = b.statistics(true).build();
        Bench.delete(config.directory());
        Path checkpoint = base.resolve("wa-checkpoint");
        Bench.delete(checkpoint);
        Random rnd = new Random(9);
        byte[] value = new byte[VALUE_BYTES];
        long user = 0;
        DiskWrites w;
        try (Log log = Log.open(config)) {
            for (long done = 0; done < n; ) {
                List<Record> batch = new ArrayList<>(500);
                for (int i = 0; i < 500 && done < n; i++, done++) {
                    rnd.nextBytes(value);
                    byte[] key = ("key-" + rnd.nextInt(KEYS)).getBytes();
                    user += key.length + VALUE_BYTES;
                    batch.add(new Record(key, value.clone()));
                }
                log.append(batch);
            }
            log.awaitSealing(java.time.Duration.ofMinutes(10)); // every sealed segment rewritten
            log.checkpoint(checkpoint); // flushes the memtables
            w = log.diskWrites();
        }
        Bench.delete(checkpoint);
        Bench.delete(config.directory());
        System.out.printf(
                "  %-40s WAL %,d + flush %,d + compaction %,d + seal %,d bytes for %,d user bytes%n",
                what, w.walBytes(), w.flushBytes(), w.compactionBytes(), w.sealBytes(), user);
        return result(user, w.walBytes(), w.flushBytes(), w.compactionBytes(), w.sealBytes());
    }

    private static Map<String, Object> raw(Path base, long n) throws Exception {
        Path dir = base.resolve("wa-raw");
        Bench.delete(dir);
        Random rnd = new Random(9);
        byte[] value = new byte[VALUE_BYTES];
        long user = 0;
        long seq = 0;
        Map<String, Object> r;
        try (Statistics stats = new Statistics();
                Options options = new Options().setCreateIfMissing(true).setStatistics(stats);
                RocksDB db = RocksDB.open(options, dir.toString());
                WriteOptions wo = new WriteOptions();
                FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            for (long done = 0; done < n; ) {
                try (WriteBatch wb = new WriteBatch()) {
                    for (int i = 0; i < 500 && done < n; i++, done++) {
                        rnd.nextBytes(value);
                        byte[] key = ("key-" + rnd.nextInt(KEYS)).getBytes();
                        user += key.length + VALUE_BYTES;
                        wb.put(RawLayout.storageKey(key, seq++), value.clone());
                    }
                    db.write(wo, wb);
                }
            }
            db.flush(fo);
            r =
                    result(
                            user,
                            stats.getTickerCount(TickerType.WAL_FILE_BYTES),
                            stats.getTickerCount(TickerType.FLUSH_WRITE_BYTES),
                            stats.getTickerCount(TickerType.COMPACT_WRITE_BYTES),
                            0);
        }
        Bench.delete(dir);
        return r;
    }

    private static Map<String, Object> result(
            long user, long wal, long flush, long compaction, long seal) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("user bytes", user);
        r.put("WAL bytes", wal);
        r.put("flush bytes", flush);
        r.put("compaction bytes", compaction);
        r.put("seal bytes", seal);
        r.put("amplification", TailBench.round((double) (wal + flush + compaction + seal) / user));
        return r;
    }
}
