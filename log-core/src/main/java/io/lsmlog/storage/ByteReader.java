package io.lsmlog.storage;

import io.lsmlog.LogCorruptedException;
import java.util.Arrays;

/** Reads what {@link ByteWriter} wrote; running off the end is corruption. */
public final class ByteReader {
    private final byte[] buf;
    private final String what;
    private int pos;

    public ByteReader(byte[] buf, String what) {
        this.buf = buf;
        this.what = what;
    }

    private void need(int n) {
        if (pos + n > buf.length) {
            throw new LogCorruptedException(
                    what + " is truncated (" + buf.length + " bytes, needed " + (pos + n) + ")");
        }
    }

    public byte get() {
        need(1);
        return buf[pos++];
    }

    public int getInt() {
        need(4);
        int v = Bytes.getInt(buf, pos);
        pos += 4;
        return v;
    }

    public long getLong() {
        need(8);
        long v = Bytes.getLong(buf, pos);
        pos += 8;
        return v;
    }

    public long getVarint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = get();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new LogCorruptedException(what + " holds a malformed varint");
    }

    public int getVarintInt(int max) {
        long v = getVarint();
        if (v < 0 || v > max) {
            throw new LogCorruptedException(what + " holds an out-of-range length " + v);
        }
        return (int) v;
    }

    public byte[] getBytes(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public boolean atEnd() {
        return pos == buf.length;
    }
}
