package io.lsmlog.flink.testframe;

import io.lsmlog.KeyRange;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.LogNotFoundException;
import io.lsmlog.LogReader;
import io.lsmlog.SeqRange;
import io.lsmlog.flink.sink.LsmLogRecordSerializer;
import io.lsmlog.flink.sink.LsmLogSink;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.DataStreamSinkV2ExternalContext;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;
import org.apache.flink.streaming.api.CheckpointingMode;

/** Flink's sink test suite against a log: records are spread over keys, read back by sequence. */
final class LsmLogSinkExternalContext implements DataStreamSinkV2ExternalContext<String> {
    private final Path dir;

    LsmLogSinkExternalContext() {
        try {
            dir = Files.createTempDirectory("lsmlog-sink-suite").resolve("log");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Sink<String> createSink(TestingSinkSettings settings) {
        boolean exactlyOnce = settings.getCheckpointingMode() == CheckpointingMode.EXACTLY_ONCE;
        return LsmLogSink.<String>builder()
                .setPath(dir.toString())
                .setDeliveryGuarantee(
                        exactlyOnce
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .setSinkId("suite")
                .setSerializer(
                        LsmLogRecordSerializer.ofStrings(
                                v -> "k" + Math.floorMod(v.hashCode(), 7), v -> v))
                .build();
    }

    @Override
    public ExternalSystemDataReader<String> createSinkDataReader(TestingSinkSettings settings) {
        return new ExternalSystemDataReader<>() {
            private long next;

            @Override
            public List<String> poll(Duration timeout) {
                List<String> out = new ArrayList<>();
                long deadline = System.nanoTime() + timeout.toNanos();
                do {
                    try (LogReader r = LogReader.open(LogConfig.builder(dir).build());
                            LogIterator it =
                                    r.scanBySequence(KeyRange.all(), SeqRange.from(next))) {
                        while (it.hasNext()) {
                            LogEntry e = it.next();
                            out.add(e.valueString());
                            next = e.sequence() + 1;
                        }
                    } catch (LogNotFoundException e) {
                        // nothing written yet
                    }
                    if (!out.isEmpty()) {
                        return out;
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return out;
                    }
                } while (System.nanoTime() < deadline);
                return out;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public List<String> generateTestData(TestingSinkSettings settings, long seed) {
        Random rnd = new Random(seed);
        List<String> out = new ArrayList<>();
        int n = 100 + rnd.nextInt(200);
        for (int i = 0; i < n; i++) {
            out.add("r" + i + "-" + Long.toHexString(rnd.nextLong()));
        }
        return out;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    @Override
    public List<URL> getConnectorJarPaths() {
        return List.of();
    }

    @Override
    public void close() {}
}
