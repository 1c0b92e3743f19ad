package io.lsmlog.staging;

import io.lsmlog.Record;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The exactly-once sink's staging: one sequential, checksummed file per (sink, subtask, checkpoint)
 * in {@code <log>/staging/}, written as records arrive and fsynced once at pre-commit. Not written
 * through the LSM, so staged records cost one sequential write.
 *
 * <pre>
 * file:   "LSMSTAGE" | version u8 (=1) | record*
 * record: payload length u32 | crc32(payload) u32 | payload
 * payload: key length u32 | key | value length u32 | value | timestamp u64 (Long.MIN_VALUE: none)
 * name:   urlencode(sinkId) ~ subtask ~ checkpointId .stage
 * </pre>
 */
final class StagingFile {
    static final String DIR = "staging";
    private static final byte[] MAGIC = "LSMSTAGE".getBytes(StandardCharsets.US_ASCII);
    private static final String SUFFIX = ".stage";

    private StagingFile() {}

    static Path dir(Path log) {
        return log.resolve(DIR);
    }

    static String name(String sinkId, int subtask, long checkpointId) {
        return URLEncoder.encode(sinkId, StandardCharsets.UTF_8)
                + "~"
                + subtask
                + "~"
                + checkpointId
                + SUFFIX;
    }

    /** The (sinkId, subtask, checkpointId) of a staging file name, or null if it is not one. */
    record Name(String sinkId, int subtask, long checkpointId) {}

    static Name parse(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return null;
        }
        String[] parts = fileName.substring(0, fileName.length() - SUFFIX.length()).split("~");
        if (parts.length != 3) {
            return null;
        }
        try {
            return new Name(
                    URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    Integer.parseInt(parts[1]),
                    Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Appends records to a new staging file; {@link #commitDurably()} fsyncs and closes it. */
    static final class Writer implements AutoCloseable {
        final Path path;
        private final FileOutputStream file;
        private final DataOutputStream out;
        private final CRC32 crc = new CRC32();
        private byte[] buf = new byte[256];
        long records;
        long bytes;

        Writer(Path path) throws IOException {
            Files.createDirectories(path.getParent());
            this.path = path;
            this.file =
                    new FileOutputStream(
                            path.toFile(), false); // a replaced attempt's file is truncated
            this.out = new DataOutputStream(new BufferedOutputStream(file, 1 << 16));
            out.write(MAGIC);
            out.writeByte(1);
        }

        void write(Record r) throws IOException {
            int len = 4 + r.key().length + 4 + r.value().length + 8;
            if (buf.length < len) {
                buf = new byte[Math.max(len, buf.length * 2)];
            }
            int p = putInt(buf, 0, r.key().length);
            System.arraycopy(r.key(), 0, buf, p, r.key().length);
            p += r.key().length;
            p = putInt(buf, p, r.value().length);
            System.arraycopy(r.value(), 0, buf, p, r.value().length);
            p += r.value().length;
            long ts = r.timestamp();
            for (int i = 7; i >= 0; i--) {
                buf[p + i] = (byte) ts;
                ts >>>= 8;
            }
            crc.reset();
            crc.update(buf, 0, len);
            out.writeInt(len);
            out.writeInt((int) crc.getValue());
            out.write(buf, 0, len);
            records++;
            bytes += r.key().length + r.value().length;
        }

        private static int putInt(byte[] b, int off, int v) {
            b[off] = (byte) (v >>> 24);
            b[off + 1] = (byte) (v >>> 16);
            b[off + 2] = (byte) (v >>> 8);
            b[off + 3] = (byte) v;
            return off + 4;
        }

        /** Flushes, fsyncs and closes: the staged records survive any crash from now on. */
        void commitDurably() throws IOException {
            out.flush();
            file.getChannel().force(true);
            out.close();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Reads a staging file back, checking every record's checksum. */
    static final class Reader implements AutoCloseable {
        private final Path path;
        private final DataInputStream in;
        private final CRC32 crc = new CRC32();
        private long index;

        Reader(Path path) throws IOException {
            this.path = path;
            InputStream s = Files.newInputStream(path);
            this.in = new DataInputStream(new BufferedInputStream(s, 1 << 16));
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            int version = in.readUnsignedByte();
            if (!Arrays.equals(magic, MAGIC) || version != 1) {
                in.close();
                throw new IOException(path + " is not an lsmlog staging file (version 1)");
            }
        }

        /** Up to {@code max} records (or fewer past {@code maxBytes}); empty at the end. */
        List<Record> next(int max, long maxBytes) throws IOException {
            List<Record> out = new ArrayList<>();
            long bytes = 0;
            while (out.size() < max && bytes < maxBytes) {
                int len;
                try {
                    len = in.readInt();
                } catch (EOFException e) {
                    break;
                }
                int expected = in.readInt();
                if (len < 16 || len > (64 << 20)) {
                    throw corrupt("bad record length " + len);
                }
                byte[] b = new byte[len];
                in.readFully(b);
                crc.reset();
                crc.update(b, 0, len);
                if ((int) crc.getValue() != expected) {
                    throw corrupt("checksum mismatch");
                }
                int k = getInt(b, 0);
                int v = getInt(b, 4 + k);
                long ts = 0;
                for (int i = 0; i < 8; i++) {
                    ts = (ts << 8) | (b[8 + k + v + i] & 0xFF);
                }
                out.add(
                        new Record(
                                Arrays.copyOfRange(b, 4, 4 + k),
                                Arrays.copyOfRange(b, 8 + k, 8 + k + v),
                                ts));
                bytes += k + v;
                index++;
            }
            return out;
        }

        /** Skips {@code n} records. */
        void skip(long n) throws IOException {
            while (n > 0) {
                List<Record> r = next((int) Math.min(n, 10_000), Long.MAX_VALUE);
                if (r.isEmpty()) {
                    throw corrupt("ends before record " + (index + n));
                }
                n -= r.size();
            }
        }

        private IOException corrupt(String what) {
            return new IOException(
                    "staging file " + path + " is corrupt at record " + index + ": " + what);
        }

        private static int getInt(byte[] b, int off) {
            return ((b[off] & 0xFF) << 24)
                    | ((b[off + 1] & 0xFF) << 16)
                    | ((b[off + 2] & 0xFF) << 8)
                    | (b[off + 3] & 0xFF);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
