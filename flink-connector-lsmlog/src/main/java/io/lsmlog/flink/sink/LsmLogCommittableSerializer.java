package io.lsmlog.flink.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Version 2: sinkId UTF | subtask int | checkpointId long | records long | bytes long. Version 1
 * (still read) had the staged file's name after the checkpoint id; the name follows from the
 * stage's id, so it is read and dropped.
 */
public final class LsmLogCommittableSerializer
        implements SimpleVersionedSerializer<LsmLogCommittable> {
    static final int VERSION = 2;

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
            out.writeLong(c.records());
            out.writeLong(c.bytes());
        }
        return bytes.toByteArray();
    }

    @Override
    public LsmLogCommittable deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            switch (version) {
                case 1:
                    {
                        String sinkId = in.readUTF();
                        int subtask = in.readInt();
                        long checkpointId = in.readLong();
                        in.readUTF(); // the staged file's name
                        return new LsmLogCommittable(
                                sinkId, subtask, checkpointId, in.readLong(), in.readLong());
                    }
                case 2:
                    return new LsmLogCommittable(
                            in.readUTF(),
                            in.readInt(),
                            in.readLong(),
                            in.readLong(),
                            in.readLong());
                default:
                    throw new IOException(
                            "unknown lsmlog committable version "
                                    + version
                                    + " (this build reads 1 and 2)");
            }
        }
    }
}
