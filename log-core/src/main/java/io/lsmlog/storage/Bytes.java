package io.lsmlog.storage;

/** Big-endian fixed-width integers and unsigned varints. */
public final class Bytes {
    private Bytes() {}

    public static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    public static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    public static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24)
                | ((b[off + 1] & 0xFF) << 16)
                | ((b[off + 2] & 0xFF) << 8)
                | (b[off + 3] & 0xFF);
    }

    public static byte[] ofLong(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }

    public static byte[] ofInt(int v) {
        byte[] b = new byte[4];
        putInt(b, 0, v);
        return b;
    }

    /** Little-endian u64, the encoding of RocksDB's uint64add merge operator. */
    public static byte[] littleEndian(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    public static long fromLittleEndian(byte[] b) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
