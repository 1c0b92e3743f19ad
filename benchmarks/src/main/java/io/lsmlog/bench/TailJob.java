package io.lsmlog.bench;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.Record;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The tailing job of the memory scenario, run in its own JVM: {@code TailJob DIR SECONDS}. A writer
 * thread appends 5,000 records/s (1,000 keys, 100-byte values; segments roll every 30 s, retention
 * keeps 2 minutes) while an unbounded {@link LsmLogSource} follows the log on a MiniCluster; after
 * SECONDS the job is cancelled and the counts are printed.
 */
public final class TailJob {
    static final AtomicLong READ = new AtomicLong();

    private TailJob() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int seconds = Integer.parseInt(args[1]);
        LogConfig config =
                LogConfig.builder(dir)
                        .segmentRollInterval(Duration.ofSeconds(30))
                        .retentionMaxAge(Duration.ofMinutes(2))
                        .retentionCheckInterval(Duration.ofSeconds(10))
                        .build();
        AtomicLong appended = new AtomicLong();
        try (Log log = Log.open(config)) {
            Thread writer =
                    new Thread(
                            () -> {
                                Random rnd = new Random(7);
                                byte[] value = new byte[100];
                                while (!Thread.currentThread().isInterrupted()) {
                                    List<Record> batch = new ArrayList<>(50);
                                    for (int i = 0; i < 50; i++) {
                                        rnd.nextBytes(value);
                                        batch.add(
                                                new Record(
                                                        ("key-" + rnd.nextInt(1000)).getBytes(),
                                                        value.clone()));
                                    }
                                    log.append(batch);
                                    appended.addAndGet(50);
                                    try {
                                        Thread.sleep(10);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            },
                            "writer");
            writer.start();

            Configuration conf = new Configuration();
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            env.enableCheckpointing(5000);
            env.fromSource(
                            LsmLogSource.<LogEntry>builder()
                                    .setLogConfig(config)
                                    .setDeserializer(LsmLogDeserializer.entries())
                                    .build(),
                            WatermarkStrategy.noWatermarks(),
                            "tail")
                    .map(
                            e -> {
                                READ.incrementAndGet();
                                return e.sequence();
                            })
                    .sinkTo(new DiscardingSink<>());
            JobClient job = env.executeAsync("memory: tailing job");
            Thread.sleep(seconds * 1000L);
            job.cancel().get();
            writer.interrupt();
            writer.join();
        }
        System.out.printf(
                "tailing job: appended %,d, read %,d in %d s%n",
                appended.get(), READ.get(), seconds);
    }
}
