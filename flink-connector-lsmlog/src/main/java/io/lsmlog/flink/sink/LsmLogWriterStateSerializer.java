package io.lsmlog.flink.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 2: sinkId UTF | subtask int | epochBase long. Version 1 (no base: 0) is still read. */
public final class LsmLogWriterStateSerializer
        implements SimpleVersionedSerializer<LsmLogWriterState> {
    static final int VERSION = 2;

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
            out.writeLong(s.epochBase());
        }
        return bytes.toByteArray();
    }

    @Override
    public LsmLogWriterState deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            switch (version) {
                case 1:
                    return new LsmLogWriterState(in.readUTF(), in.readInt(), 0);
                case 2:
                    return new LsmLogWriterState(in.readUTF(), in.readInt(), in.readLong());
                default:
                    throw new IOException(
                            "unknown lsmlog writer state version "
                                    + version
                                    + " (this build reads 1 and 2)");
            }
        }
    }
}
