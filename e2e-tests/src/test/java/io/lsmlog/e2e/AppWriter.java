package io.lsmlog.e2e;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.Record;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An application process writing with plain log-core (no Flink): {@code count} records over {@code
 * keys} keys in small batches, values "key:i" with i increasing per key, rolling small segments.
 * Prints READY once the log exists and DONE n when finished.
 */
public final class AppWriter {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int keys = Integer.parseInt(args[2]);
        try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(32 << 10).build())) {
            log.append(List.of(Record.of("key-0", "key-0:0")));
            System.out.println("READY");
            System.out.flush();
            System.in.read(); // wait for "go"
            int[] next = new int[keys];
            next[0] = 1;
            for (int done = 1; done < count; ) {
                List<Record> batch = new ArrayList<>();
                for (int i = 0; i < 10 && done < count; i++, done++) {
                    int k = (done * 31) % keys;
                    batch.add(Record.of("key-" + k, "key-" + k + ":" + next[k]++));
                }
                log.append(batch);
                if (done % 500 == 0) {
                    Thread.sleep(5);
                }
            }
            System.out.println("DONE " + log.nextSequence());
            System.out.flush();
        }
    }
}
