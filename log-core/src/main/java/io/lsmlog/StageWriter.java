package io.lsmlog;

/** Writes one stage; nothing is visible in the log until the stage is committed. */
public interface StageWriter extends AutoCloseable {
    void write(Record r);

    /** Records written so far. */
    long records();

    /** Makes the stage durable (fsync) and closes it: it survives any crash from now on. */
    Staged seal();

    /** Closes without sealing: the stage is left for {@link Staging#abortStale} to remove. */
    @Override
    void close();
}
