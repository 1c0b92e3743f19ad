package io.lsmlog.flink.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Version 1: sinkId UTF | subtask int | checkpointId long | fileName UTF | records long | bytes
 * long.
 */
public final class LsmLogCommittableSerializer
        implements SimpleVersionedSerializer<LsmLogCommittable> {
    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(LsmLogCommittable c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(c.sinkId());
            out.writeInt(c.subtask());
            out.writeLong(c.checkpointId());
            out.writeUTF(c.fileName());
            out.writeLong(c.records());
            out.writeLong(c.bytes());
        }
        return bytes.toByteArray();
    }

    @Override
    public LsmLogCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "unknown lsmlog committable version "
                            + version
                            + " (this build reads "
                            + VERSION
                            + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return new LsmLogCommittable(
                    in.readUTF(),
                    in.readInt(),
                    in.readLong(),
                    in.readUTF(),
                    in.readLong(),
                    in.readLong());
        }
    }
}
