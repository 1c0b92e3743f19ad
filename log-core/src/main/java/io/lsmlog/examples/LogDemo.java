package io.lsmlog.examples;

import io.lsmlog.AppendResult;
import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tour of log-core: appends orders for many customer keys, then reads one customer's stream,
 * counts, and lists segments. Usage: {@code LogDemo [--dir D] [--records N] [--keys K]}.
 */
public final class LogDemo {
    public static void main(String[] args) {
        Path dir = Path.of("data", "quickstart-log");
        int records = 200_000;
        int keys = 1_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--records" -> records = Integer.parseInt(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println(
                            "unknown option " + args[i] + "; use --dir, --records, --keys");
                    System.exit(2);
                }
            }
        }
        LogConfig config = LogConfig.builder(dir).segmentRollBytes(8L << 20).build();
        System.out.printf("log in %s%n", config.directory());
        try (Log log = Log.open(config)) {
            Random rnd = new Random(42);
            byte[] value = new byte[100];
            long start = System.nanoTime();
            long lastReport = start;
            for (int done = 0; done < records; ) {
                int n = Math.min(500, records - done);
                List<Record> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    rnd.nextBytes(value);
                    batch.add(
                            new Record(
                                    ("customer-" + rnd.nextInt(keys)).getBytes(), value.clone()));
                }
                AppendResult r = log.append(batch);
                done += n;
                long now = System.nanoTime();
                if (now - lastReport > 1_000_000_000L || done == records) {
                    double s = (now - start) / 1e9;
                    System.out.printf(
                            "  appended %,d / %,d records (%,.0f records/s, %.1f s), last sequence %d%n",
                            done, records, done / s, s, r.lastSequence());
                    lastReport = now;
                }
            }
            double appendSeconds = (System.nanoTime() - start) / 1e9;
            log.flush();

            byte[] key = "customer-7".getBytes();
            long t0 = System.nanoTime();
            int n = 0;
            LogEntry last = null;
            try (LogIterator it = log.scan(key, SeqRange.all())) {
                while (it.hasNext()) {
                    last = it.next();
                    n++;
                }
            }
            double scanMs = (System.nanoTime() - t0) / 1e6;
            System.out.printf(
                    "scan customer-7: %d entries in %.2f ms (last sequence %s)%n",
                    n, scanMs, last == null ? "-" : last.sequence());
            System.out.printf(
                    "count customer-7: %d; count prefix customer-1: %d%n",
                    log.count(key, SeqRange.all()),
                    log.count(KeyRange.prefix("customer-1"), SeqRange.all()));
            System.out.printf(
                    "summary: %,d records appended this run at %,.0f records/s; %,d entries in"
                            + " the log; %d segments; %,d bytes on disk%n",
                    records,
                    records / appendSeconds,
                    log.nextSequence(),
                    log.segments().size(),
                    log.diskBytes());
        }
    }
}
