package io.lsmlog.flink.source;

import io.lsmlog.LogRead;
import java.io.Serializable;

/**
 * Where a source starts or stops, resolved to a sequence when the job starts: {@link #earliest()},
 * {@link #latest()} (the frontier at job start), {@link #sequence(long)}, {@link #timestamp(long)}
 * (the first entry appended at or after a time, epoch ms), {@link #group(String, LsmLogPosition)}
 * (a reader group's committed positions, one per key range; a start only).
 */
public final class LsmLogPosition implements Serializable {
    /** The kinds of position. */
    public enum Kind {
        EARLIEST,
        LATEST,
        SEQUENCE,
        TIMESTAMP,
        GROUP
    }

    private final Kind kind;
    private final long value;
    private final String group; // GROUP only
    private final LsmLogPosition fallback; // GROUP only

    private LsmLogPosition(Kind kind, long value) {
        this(kind, value, null, null);
    }

    private LsmLogPosition(Kind kind, long value, String group, LsmLogPosition fallback) {
        this.kind = kind;
        this.value = value;
        this.group = group;
        this.fallback = fallback;
    }

    /**
     * The committed positions of reader group {@code name} (see {@code io.lsmlog.ReaderGroup}):
     * each of its key ranges starts where the group left it, so a job takes over from a group's
     * members or from an earlier job that committed to it ({@code setCommitToGroup}). When the log
     * has no such group, the whole source starts at {@code fallback}. Only a start position.
     */
    public static LsmLogPosition group(String name, LsmLogPosition fallback) {
        io.lsmlog.Groups.validateName("a group name", name);
        if (fallback == null || fallback.kind == Kind.GROUP) {
            throw new io.lsmlog.InvalidArgumentException(
                    "a group position's fallback must be earliest, latest, a sequence or a"
                            + " timestamp, got "
                            + fallback);
        }
        return new LsmLogPosition(Kind.GROUP, 0, name, fallback);
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

    /** The group of a {@link Kind#GROUP} position, else null. */
    public String group() {
        return group;
    }

    /** Where a {@link Kind#GROUP} position starts when the log has no such group, else null. */
    public LsmLogPosition fallback() {
        return fallback;
    }

    /**
     * The sequence this position stands for in the log now (a group position's: its fallback's; the
     * source resolves the group's ranges itself).
     */
    public long resolve(LogRead log) {
        return switch (kind) {
            case EARLIEST -> 0;
            case LATEST -> log.nextSequence();
            case SEQUENCE -> value;
            case TIMESTAMP -> log.sequenceAt(value);
            case GROUP -> fallback.resolve(log);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EARLIEST, LATEST -> kind.name().toLowerCase();
            case GROUP -> "group(" + group + ", else " + fallback + ")";
            default -> kind.name().toLowerCase() + "(" + value + ")";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LsmLogPosition p
                && kind == p.kind
                && value == p.value
                && java.util.Objects.equals(group, p.group)
                && java.util.Objects.equals(fallback, p.fallback);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, value, group, fallback);
    }
}
