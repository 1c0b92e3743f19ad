package io.lsmlog;

import java.time.Duration;

/**
 * How a member of a {@link ReaderGroup} takes part.
 *
 * @param sessionTimeout a member that has not heart-beaten for this long is dropped and its ranges
 *     go to the others, from their committed positions
 * @param heartbeatInterval how often the member's background thread heart-beats (and picks up
 *     ranges freed for it); at most a third of the session timeout
 * @param autoCommit commit the positions of what earlier polls returned, every {@code
 *     autoCommitInterval}, on the next poll (and on close), as Kafka's consumer does
 * @param autoCommitInterval see {@code autoCommit}
 * @param ranges how many key ranges a group is split into when its first member creates it (fixed
 *     for the group's life, like a topic's partitions): more ranges balance finer, each costs one
 *     position
 */
public record GroupOptions(
        Duration sessionTimeout,
        Duration heartbeatInterval,
        boolean autoCommit,
        Duration autoCommitInterval,
        int ranges) {

    public static final int MAX_RANGES = 4096;

    public GroupOptions {
        validateSessionTimeout(sessionTimeout);
        if (heartbeatInterval == null
                || heartbeatInterval.isNegative()
                || heartbeatInterval.isZero()
                || heartbeatInterval.compareTo(sessionTimeout.dividedBy(3)) > 0) {
            throw new InvalidArgumentException(
                    "a group's heartbeat interval must be positive and at most a third of the"
                            + " session timeout ("
                            + sessionTimeout
                            + "), got "
                            + heartbeatInterval);
        }
        if (autoCommitInterval == null || autoCommitInterval.isNegative()) {
            throw new InvalidArgumentException(
                    "auto-commit interval must not be negative, got " + autoCommitInterval);
        }
        validateRanges(ranges);
    }

    /** What a coordinator accepts as a session timeout: at least 100 ms. */
    public static void validateSessionTimeout(Duration sessionTimeout) {
        if (sessionTimeout == null || sessionTimeout.toMillis() < 100) {
            throw new InvalidArgumentException(
                    "a group's session timeout must be at least 100 ms, got " + sessionTimeout);
        }
    }

    /** What a coordinator accepts as a group's range count: 1 to {@link #MAX_RANGES}. */
    public static void validateRanges(int ranges) {
        if (ranges < 1 || ranges > MAX_RANGES) {
            throw new InvalidArgumentException(
                    "a group has 1 to " + MAX_RANGES + " ranges, got " + ranges);
        }
    }

    /** Session 10 s, heartbeats every second, auto-commit every 5 s, 16 ranges. */
    public static GroupOptions defaults() {
        return new GroupOptions(
                Duration.ofSeconds(10), Duration.ofSeconds(1), true, Duration.ofSeconds(5), 16);
    }

    /** With this session timeout, heart-beating every third of it, at most every second. */
    public GroupOptions withSessionTimeout(Duration timeout) {
        Duration third = timeout == null ? null : timeout.dividedBy(3);
        Duration beat =
                third == null || third.compareTo(Duration.ofSeconds(1)) > 0
                        ? Duration.ofSeconds(1)
                        : third;
        return new GroupOptions(timeout, beat, autoCommit, autoCommitInterval, ranges);
    }

    public GroupOptions withHeartbeatInterval(Duration interval) {
        return new GroupOptions(sessionTimeout, interval, autoCommit, autoCommitInterval, ranges);
    }

    /** Off: positions are committed only by {@link ReaderGroup#commit()} and its variants. */
    public GroupOptions withAutoCommit(boolean on) {
        return new GroupOptions(sessionTimeout, heartbeatInterval, on, autoCommitInterval, ranges);
    }

    public GroupOptions withAutoCommitInterval(Duration interval) {
        return new GroupOptions(sessionTimeout, heartbeatInterval, autoCommit, interval, ranges);
    }

    public GroupOptions withRanges(int count) {
        return new GroupOptions(
                sessionTimeout, heartbeatInterval, autoCommit, autoCommitInterval, count);
    }
}
