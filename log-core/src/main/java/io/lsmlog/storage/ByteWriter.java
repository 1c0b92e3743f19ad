package io.lsmlog.storage;

import java.util.Arrays;

/** A growable byte buffer for encoders. */
public final class ByteWriter {
    private byte[] buf;
    private int len;

    public ByteWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    public ByteWriter put(byte b) {
        ensure(1);
        buf[len++] = b;
        return this;
    }

    public ByteWriter put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public ByteWriter put(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public ByteWriter putInt(int v) {
        ensure(4);
        Bytes.putInt(buf, len, v);
        len += 4;
        return this;
    }

    public ByteWriter putLong(long v) {
        ensure(8);
        Bytes.putLong(buf, len, v);
        len += 8;
        return this;
    }

    public ByteWriter putVarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
        return this;
    }

    /** Appends what another writer holds. */
    public ByteWriter put(ByteWriter other) {
        ensure(other.len);
        System.arraycopy(other.buf, 0, buf, len, other.len);
        len += other.len;
        return this;
    }

    public int size() {
        return len;
    }

    /** Empties the buffer, keeping its capacity. */
    public void clear() {
        len = 0;
    }

    public byte[] toArray() {
        return Arrays.copyOf(buf, len);
    }
}
