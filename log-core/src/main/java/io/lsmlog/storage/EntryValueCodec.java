package io.lsmlog.storage;

import io.lsmlog.LogCorruptedException;
import java.util.Arrays;

/**
 * Values of the {@code entries} column family: {@code version u8 (=1) | timestamp u64 BE | value}.
 * E.g. value "hi" at timestamp 1000: {@code 01 | 00 00 00 00 00 00 03 e8 | 68 69}.
 */
public final class EntryValueCodec {
    public static final byte VERSION = 1;
    public static final int HEADER = 9;

    private EntryValueCodec() {}

    public static byte[] encode(long timestamp, byte[] value) {
        byte[] out = new byte[HEADER + value.length];
        out[0] = VERSION;
        Bytes.putLong(out, 1, timestamp);
        System.arraycopy(value, 0, out, HEADER, value.length);
        return out;
    }

    private static void check(byte[] stored) {
        if (stored.length < HEADER || stored[0] != VERSION) {
            throw new LogCorruptedException(
                    "entry value has "
                            + (stored.length < HEADER
                                    ? "only " + stored.length + " bytes"
                                    : "unknown format version " + stored[0]));
        }
    }

    public static long timestamp(byte[] stored) {
        check(stored);
        return Bytes.getLong(stored, 1);
    }

    public static byte[] value(byte[] stored) {
        check(stored);
        return Arrays.copyOfRange(stored, HEADER, stored.length);
    }
}
