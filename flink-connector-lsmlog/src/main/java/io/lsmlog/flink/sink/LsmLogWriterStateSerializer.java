package io.lsmlog.flink.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 1: sinkId UTF | subtask int. */
public final class LsmLogWriterStateSerializer
        implements SimpleVersionedSerializer<LsmLogWriterState> {
    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(LsmLogWriterState s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(s.sinkId());
            out.writeInt(s.subtask());
        }
        return bytes.toByteArray();
    }

    @Override
    public LsmLogWriterState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "unknown lsmlog writer state version "
                            + version
                            + " (this build reads "
                            + VERSION
                            + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return new LsmLogWriterState(in.readUTF(), in.readInt());
        }
    }
}
