package io.lsmlog.flink.source;

import io.lsmlog.LogRead;
import java.io.Serializable;

/**
 * Where a source starts or stops, resolved to a sequence when the job starts: {@link #earliest()},
 * {@link #latest()} (the frontier at job start), {@link #sequence(long)}, {@link #timestamp(long)}
 * (the first entry appended at or after a time, epoch ms).
 */
public final class LsmLogPosition implements Serializable {
    /** The kinds of position. */
    public enum Kind {
        EARLIEST,
        LATEST,
        SEQUENCE,
        TIMESTAMP
    }

    private final Kind kind;
    private final long value;

    private LsmLogPosition(Kind kind, long value) {
        this.kind = kind;
        this.value = value;
    }

    public static LsmLogPosition earliest() {
        return new LsmLogPosition(Kind.EARLIEST, 0);
    }

    public static LsmLogPosition latest() {
        return new LsmLogPosition(Kind.LATEST, 0);
    }

    public static LsmLogPosition sequence(long sequence) {
        if (sequence < 0) {
            throw new io.lsmlog.InvalidArgumentException(
                    "position sequence must be >= 0, got " + sequence);
        }
        return new LsmLogPosition(Kind.SEQUENCE, sequence);
    }

    public static LsmLogPosition timestamp(long epochMillis) {
        if (epochMillis < 0) {
            throw new io.lsmlog.InvalidArgumentException(
                    "position timestamp must be >= 0, got " + epochMillis);
        }
        return new LsmLogPosition(Kind.TIMESTAMP, epochMillis);
    }

    public Kind kind() {
        return kind;
    }

    public long value() {
        return value;
    }

    /** The sequence this position stands for in the log now. */
    public long resolve(LogRead log) {
        return switch (kind) {
            case EARLIEST -> 0;
            case LATEST -> log.nextSequence();
            case SEQUENCE -> value;
            case TIMESTAMP -> log.sequenceAt(value);
        };
    }

    @Override
    public String toString() {
        return kind == Kind.EARLIEST || kind == Kind.LATEST
                ? kind.name().toLowerCase()
                : kind.name().toLowerCase() + "(" + value + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LsmLogPosition p && kind == p.kind && value == p.value;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Long.hashCode(value);
    }
}
