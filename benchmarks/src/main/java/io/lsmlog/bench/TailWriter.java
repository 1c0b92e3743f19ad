package io.lsmlog.bench;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.Record;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer process of the cross-process latency run: appends one record every {@code
 * intervalMicros}, its value holding System.nanoTime() at append (CLOCK_MONOTONIC, shared by
 * processes on one host), until it has written {@code count} records.
 */
public final class TailWriter {
    public static void main(String[] args) throws java.io.IOException {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long intervalNanos = Long.parseLong(args[2]) * 1000;
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            System.out.println("READY");
            System.out.flush();
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine(); // "go"

            for (int i = 0; i < count; i++) {
                byte[] v = ByteBuffer.allocate(8).putLong(System.nanoTime()).array();
                log.append(List.of(new Record(("k" + (i % 100)).getBytes(), v)));
                LockSupport.parkNanos(intervalNanos);
            }
        }
        System.out.println("DONE");
    }
}
