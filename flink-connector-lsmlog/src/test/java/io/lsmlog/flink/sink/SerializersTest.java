package io.lsmlog.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerializersTest {
    @TempDir Path tmp;

    @Test
    void committableRoundTripsReadsVersionOneAndRejectsUnknownVersions() throws IOException {
        LsmLogCommittableSerializer s = new LsmLogCommittableSerializer();
        LsmLogCommittable c = new LsmLogCommittable("orders/äö", 3, 42, 1000, 123456);
        assertThat(s.getVersion()).isEqualTo(2);
        assertThat(s.deserialize(2, s.serialize(c))).isEqualTo(c);
        // Version 1, as savepoints taken before staging moved to log-core hold it: with a file
        // name.
        java.io.ByteArrayOutputStream v1 = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(v1)) {
            out.writeUTF("orders/äö");
            out.writeInt(3);
            out.writeLong(42);
            out.writeUTF("orders%2F%C3%A4%C3%B6~3~42.stage");
            out.writeLong(1000);
            out.writeLong(123456);
        }
        assertThat(s.deserialize(1, v1.toByteArray())).isEqualTo(c);
        assertThatThrownBy(() -> s.deserialize(3, s.serialize(c)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 3");
    }

    @Test
    void writerStateRoundTripsReadsVersionOneAndRejectsUnknownVersions() throws IOException {
        LsmLogWriterStateSerializer s = new LsmLogWriterStateSerializer();
        LsmLogWriterState st = new LsmLogWriterState("sink-a", 7, 12);
        assertThat(s.getVersion()).isEqualTo(2);
        assertThat(s.deserialize(2, s.serialize(st))).isEqualTo(st);
        java.io.ByteArrayOutputStream v1 = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(v1)) {
            out.writeUTF("sink-a");
            out.writeInt(7);
        }
        assertThat(s.deserialize(1, v1.toByteArray()))
                .isEqualTo(new LsmLogWriterState("sink-a", 7, 0));
        assertThatThrownBy(() -> s.deserialize(9, s.serialize(st)))
                .hasMessageContaining("version 9");
    }
}
