package io.lsmlog.server;

import io.lsmlog.AppendResult;
import io.lsmlog.Record;
import io.lsmlog.client.LogClient;
import io.lsmlog.client.RemoteLog;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A client JVM that appends {@code batches} pipelined batches of {@code perBatch} records to keys
 * {@code <writer>-<k>} (value {@code <writer>-<k>-<i>}, i counting per key), then prints the
 * acknowledged count.
 */
public final class AppenderClient {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String writer = args[1];
        int batches = Integer.parseInt(args[2]);
        int perBatch = Integer.parseInt(args[3]);
        int keys = Integer.parseInt(args[4]);
        int[] next = new int[keys];
        long acknowledged = 0;
        try (RemoteLog log = LogClient.open(url)) {
            List<CompletableFuture<AppendResult>> acks = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<Record> batch = new ArrayList<>(perBatch);
                for (int r = 0; r < perBatch; r++) {
                    int k = (b * perBatch + r) % keys;
                    batch.add(Record.of(writer + "-" + k, writer + "-" + k + "-" + next[k]++));
                }
                acks.add(log.appendAsync(batch));
            }
            for (CompletableFuture<AppendResult> f : acks) {
                acknowledged += f.get().count();
            }
        }
        System.out.println("appended " + acknowledged);
    }
}
