package io.lsmlog.bench;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogIterator;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * JMH: one key's stream (200 of 200,000 entries over 1,000 keys, 20 segments) read by log-core's
 * per-key scan vs a raw RocksDB prefix scan of the same records. Run: {@code bin/bench jmh
 * ScanJmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ScanJmh {
    private static final int N = 200_000;
    private Path dir;
    private Log log;
    private Options options;
    private RocksDB raw;
    private int next;

    @Setup(Level.Trial)
    public void load() throws Exception {
        dir = Files.createTempDirectory("scan-jmh");
        log =
                Log.open(
                        LogConfig.builder(dir.resolve("ours"))
                                .segmentRollBytes(N * 110L / 20)
                                .build());
        options = new Options().setCreateIfMissing(true);
        raw = RocksDB.open(options, dir.resolve("raw").toString());
        Random rnd = new Random(1);
        byte[] value = new byte[100];
        long seq = 0;
        try (WriteOptions wo = new WriteOptions()) {
            for (int done = 0; done < N; ) {
                List<Record> batch = new ArrayList<>();
                try (WriteBatch wb = new WriteBatch()) {
                    for (int i = 0; i < 500; i++, done++) {
                        rnd.nextBytes(value);
                        byte[] key = ("key-" + rnd.nextInt(1000)).getBytes();
                        batch.add(new Record(key, value.clone()));
                        wb.put(RawLayout.storageKey(key, seq++), value.clone());
                    }
                    log.append(batch);
                    raw.write(wo, wb);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        log.close();
        raw.close();
        options.close();
        Bench.delete(dir);
    }

    private byte[] nextKey() {
        next = (next + 37) % 1000;
        return ("key-" + next).getBytes();
    }

    @Benchmark
    public void perKeyScan(Blackhole bh) {
        try (LogIterator it = log.scan(nextKey(), SeqRange.all())) {
            while (it.hasNext()) {
                bh.consume(it.next().value());
            }
        }
    }

    @Benchmark
    public long rawPrefixScan(Blackhole bh) {
        return RawLayout.prefixScan(raw, nextKey(), bh::consume);
    }
}
