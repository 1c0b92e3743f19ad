package io.lsmlog.flink.source.enumerator;

import io.lsmlog.flink.source.split.LsmLogSplit;
import io.lsmlog.flink.source.split.LsmLogSplitSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Version 1: startSequence long | stopSequence long | nextSegment int | planningDone bool | lane
 * count int | (start bytes? | end bytes?)* | unfinished count int | split (as {@link
 * LsmLogSplitSerializer} v1)* | assigned count int | split id UTF*.
 *
 * <p>Version 2 adds: range start count int | (start bytes? | end bytes? | position long)*. Version
 * 1 states are read with no range starts.
 */
public final class LsmLogEnumStateSerializer implements SimpleVersionedSerializer<LsmLogEnumState> {
    public static final int VERSION = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(LsmLogEnumState s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(s.startSequence());
            out.writeLong(s.stopSequence());
            out.writeInt(s.nextSegment());
            out.writeBoolean(s.planningDone());
            out.writeInt(s.lanes().size());
            for (io.lsmlog.KeyRange lane : s.lanes()) {
                writeBytes(lane.start(), out);
                writeBytes(lane.end(), out);
            }
            out.writeInt(s.unfinished().size());
            for (LsmLogSplit split : s.unfinished()) {
                LsmLogSplitSerializer.write(split, out);
            }
            out.writeInt(s.assigned().size());
            for (String id : s.assigned()) {
                out.writeUTF(id);
            }
            out.writeInt(s.starts().size());
            for (RangeStart r : s.starts()) {
                writeBytes(r.keys().start(), out);
                writeBytes(r.keys().end(), out);
                out.writeLong(r.position());
            }
        }
        return bytes.toByteArray();
    }

    private static void writeBytes(byte[] b, DataOutputStream out) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < -1 || n > (1 << 20)) {
            throw new IOException("corrupt enumerator state: byte array length " + n);
        }
        if (n == -1) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    @Override
    public LsmLogEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException(
                    "unknown lsmlog enumerator state version "
                            + version
                            + " (this build reads "
                            + VERSION
                            + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            long start = in.readLong();
            long stop = in.readLong();
            int next = in.readInt();
            boolean done = in.readBoolean();
            int lanesCount = in.readInt();
            List<io.lsmlog.KeyRange> lanes = new ArrayList<>(lanesCount);
            for (int i = 0; i < lanesCount; i++) {
                lanes.add(new io.lsmlog.KeyRange(readBytes(in), readBytes(in)));
            }
            int n = in.readInt();
            List<LsmLogSplit> unfinished = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                unfinished.add(LsmLogSplitSerializer.read(in));
            }
            int m = in.readInt();
            Set<String> assigned = new HashSet<>();
            for (int i = 0; i < m; i++) {
                assigned.add(in.readUTF());
            }
            List<RangeStart> starts = new ArrayList<>();
            if (version >= 2) {
                int k = in.readInt();
                for (int i = 0; i < k; i++) {
                    io.lsmlog.KeyRange keys = new io.lsmlog.KeyRange(readBytes(in), readBytes(in));
                    starts.add(new RangeStart(keys, in.readLong()));
                }
            }
            return new LsmLogEnumState(
                    start, stop, next, done, lanes, unfinished, assigned, starts);
        }
    }
}
