package io.lsmlog.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two org.rocksdb jars on one classpath means the first silently wins, and two native RocksDB
 * libraries in one JVM crash it: the connector's classpath has exactly one, Flink's frocksdbjni.
 */
class RocksDbClasspathTest {
    @Test
    void exactlyOneRocksDbJarAndItIsFrocksdb() throws Exception {
        List<URL> jars = new ArrayList<>();
        for (URL u :
                Collections.list(
                        getClass().getClassLoader().getResources("org/rocksdb/RocksDB.class"))) {
            jars.add(u);
        }
        assertThat(jars).hasSize(1);
        assertThat(jars.get(0).toString()).contains("frocksdbjni-8.10.0-ververica-1.0");
        String cp =
                System.getProperty("java.class.path")
                        + System.getProperty("surefire.test.class.path", "");
        assertThat(cp).doesNotContain("rocksdbjni-11");
    }
}
