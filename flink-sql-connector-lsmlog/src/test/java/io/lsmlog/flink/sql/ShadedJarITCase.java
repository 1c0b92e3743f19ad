package io.lsmlog.flink.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jar users put into a Flink cluster's {@code lib/}: it holds the connector, log-core and the
 * connector base, registers the {@code lsmlog} table factory, and holds no RocksDB (DESIGN.md §3.8:
 * Flink's frocksdbjni is the one org.rocksdb on the cluster's classpath).
 */
class ShadedJarITCase {
    private static List<String> entries;
    private static Path jar;

    @BeforeAll
    static void open() throws IOException {
        jar = Path.of(System.getProperty("shaded.jar"));
        assertThat(jar).exists();
        try (JarFile j = new JarFile(jar.toFile())) {
            entries = j.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void holdsNoRocksDb() {
        assertThat(entries).noneMatch(e -> e.startsWith("org/rocksdb/"));
        assertThat(entries).noneMatch(e -> e.contains("librocksdbjni"));
    }

    @Test
    void holdsTheConnectorTheLogAndTheConnectorBase() {
        assertThat(entries)
                .contains(
                        "io/lsmlog/Log.class",
                        "io/lsmlog/LogReader.class",
                        "io/lsmlog/flink/table/LsmLogDynamicTableFactory.class",
                        "io/lsmlog/flink/source/LsmLogSource.class",
                        "io/lsmlog/flink/sink/LsmLogSink.class",
                        "org/apache/flink/connector/base/DeliveryGuarantee.class");
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/table/api/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/slf4j/"));
    }

    @Test
    void registersTheTableFactory() throws IOException {
        try (JarFile j = new JarFile(jar.toFile());
                InputStream in =
                        j.getInputStream(
                                j.getEntry(
                                        "META-INF/services/org.apache.flink.table.factories.Factory"))) {
            String services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(services.lines().map(String::trim))
                    .contains("io.lsmlog.flink.table.LsmLogDynamicTableFactory");
        }
        // The connector, the client and gRPC's Netty transport; no more.
        assertThat(Files.size(jar)).isLessThan(20L << 20);
    }

    @Test
    void holdsTheServerClientWithProtobufAndGuavaMovedAside() throws IOException {
        assertThat(entries)
                .contains(
                        "io/lsmlog/client/RemoteLog.class",
                        "io/lsmlog/shaded/com/google/protobuf/Message.class",
                        "io/lsmlog/shaded/com/google/common/base/Preconditions.class");
        assertThat(entries).noneMatch(e -> e.startsWith("com/google/protobuf/"));
        assertThat(entries).noneMatch(e -> e.startsWith("com/google/common/"));
        try (JarFile j = new JarFile(jar.toFile());
                InputStream in =
                        j.getInputStream(
                                j.getEntry("META-INF/services/io.grpc.ManagedChannelProvider"))) {
            // gRPC finds its transport through this file: without it no channel can be built.
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("io.grpc.netty.shaded.io.grpc.netty.NettyChannelProvider");
        }
    }
}
