package io.lsmlog.flink.testframe;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.Record;
import io.lsmlog.flink.source.LsmLogDeserializer;
import io.lsmlog.flink.source.LsmLogPosition;
import io.lsmlog.flink.source.LsmLogSource;
import io.lsmlog.flink.source.LsmLogSourceBuilder;
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
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;

/**
 * Flink's source test suite against a log: each "split" of the suite is a key of its own (the suite
 * checks per-split order, which for us is per-key order).
 */
final class LsmLogSourceExternalContext implements DataStreamSourceExternalContext<String> {
    private final Path dir;
    private Log log;
    private int splits;

    LsmLogSourceExternalContext() {
        try {
            dir = Files.createTempDirectory("lsmlog-source-suite");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized Log log() {
        if (log == null) {
            log = Log.open(LogConfig.builder(dir).build());
        }
        return log;
    }

    @Override
    public Source<String, ?, ?> createSource(TestingSourceSettings settings) {
        LsmLogSourceBuilder<String> b =
                LsmLogSource.<String>builder()
                        .setLogConfig(
                                LogConfig.builder(dir)
                                        .readerRefreshInterval(Duration.ofMillis(20))
                                        .build())
                        .setDiscoveryInterval(Duration.ofMillis(100))
                        .setDeserializer(LsmLogDeserializer.valueAsString());
        if (settings.getBoundedness() == Boundedness.BOUNDED) {
            b.setBounded(LsmLogPosition.latest());
        }
        return b.build();
    }

    @Override
    public ExternalSystemSplitDataWriter<String> createSourceSplitDataWriter(
            TestingSourceSettings settings) {
        String key = "split-" + (splits++);
        Log l = log();
        return new ExternalSystemSplitDataWriter<>() {
            @Override
            public void writeRecords(List<String> records) {
                List<Record> batch = new ArrayList<>();
                for (String r : records) {
                    batch.add(Record.of(key, r));
                }
                if (!batch.isEmpty()) {
                    l.append(batch);
                }
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public List<String> generateTestData(
            TestingSourceSettings settings, int splitIndex, long seed) {
        Random rnd = new Random(seed);
        List<String> out = new ArrayList<>();
        int n = 50 + rnd.nextInt(100);
        for (int i = 0; i < n; i++) {
            out.add("split" + splitIndex + "-" + i + "-" + Long.toHexString(rnd.nextLong()));
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
    public synchronized void close() {
        if (log != null) {
            log.close();
            log = null;
        }
    }
}
