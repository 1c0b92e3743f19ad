package io.lsmlog;

/** Size limits enforced on every append; readers rely on them too. */
public final class Limits {
    /** Keys are 1 to 4096 bytes. */
    public static final int MAX_KEY_BYTES = 4096;

    /** Values are 0 to 16 MiB. */
    public static final int MAX_VALUE_BYTES = 16 << 20;

    /** One append holds at most 1,000,000 records and 256 MiB of keys and values. */
    public static final int MAX_BATCH_RECORDS = 1_000_000;

    public static final long MAX_BATCH_BYTES = 256L << 20;

    private Limits() {}
}
