package io.lsmlog.flink.source.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Version 1: id UTF | segment int | lane int | keyStart bytes? | keyEnd bytes? | from long | to
 * long | tailing bool | nextSequence long | lastKey bytes? | lastKeySequence long | finished bool,
 * where {@code bytes?} is a length int (-1: null) and the bytes.
 */
public final class LsmLogSplitSerializer implements SimpleVersionedSerializer<LsmLogSplit> {
    public static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(LsmLogSplit s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(s, out);
        }
        return bytes.toByteArray();
    }

    public static void write(LsmLogSplit s, DataOutputStream out) throws IOException {
        out.writeUTF(s.splitId());
        out.writeInt(s.segment());
        out.writeInt(s.lane());
        writeBytes(s.keyStart(), out);
        writeBytes(s.keyEnd(), out);
        out.writeLong(s.from());
        out.writeLong(s.to());
        out.writeBoolean(s.tailing());
        out.writeLong(s.nextSequence());
        writeBytes(s.lastKey(), out);
        out.writeLong(s.lastKeySequence());
        out.writeBoolean(s.finished());
    }

    @Override
    public LsmLogSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "unknown lsmlog split version "
                            + version
                            + " (this build reads "
                            + VERSION
                            + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    public static LsmLogSplit read(DataInputStream in) throws IOException {
        return new LsmLogSplit(
                in.readUTF(),
                in.readInt(),
                in.readInt(),
                readBytes(in),
                readBytes(in),
                in.readLong(),
                in.readLong(),
                in.readBoolean(),
                in.readLong(),
                readBytes(in),
                in.readLong(),
                in.readBoolean());
    }

    static void writeBytes(byte[] b, DataOutputStream out) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < -1 || n > (1 << 20)) {
            throw new IOException("corrupt split: byte array length " + n);
        }
        if (n == -1) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
