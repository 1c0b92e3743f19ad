package io.lsmlog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The reader-group coordinator of a log: one authority, in the process that writes the log (the
 * embedded {@link Log} or the log server), so members in any number of processes agree. Live
 * membership is kept in memory (members re-join after the coordinator restarts); ranges and
 * committed positions are stored in the log's metadata, written through its writer, so they survive
 * restarts. Applications use {@link ReaderGroup}; this is the protocol under it, and the
 * administration ({@code lsmlog groups}).
 */
public interface Groups {

    /**
     * Joins {@code member} to {@code group}, creating the group (split into {@code ranges} key
     * ranges balanced by the key index's counts) if it does not exist. A member id already in the
     * group is taken over (a restarted member keeps its identity).
     */
    GroupAssignment join(String group, String member, Duration sessionTimeout, int ranges);

    /**
     * Keeps the member's session alive; first releases the ranges in {@code released} (id → the
     * member's position in it, committed with the release).
     *
     * @throws GroupFencedException if the member is not in the group (any more)
     */
    GroupAssignment heartbeat(String group, String member, Map<Integer, Long> released);

    /**
     * Commits positions (range id → position) of ranges the member owns.
     *
     * @throws GroupFencedException if the member is not in the group or does not own a range
     */
    void commit(String group, String member, Map<Integer, Long> positions);

    /**
     * Appends {@code records} and commits the positions in one atomic write: after a crash either
     * both happened or neither (exactly-once for a member whose output goes to this log).
     */
    AppendResult commitWith(
            String group, String member, Map<Integer, Long> positions, List<Record> records);

    /**
     * Completes at the group's next change that may move ranges: a member joins, leaves or expires,
     * or ranges are released. A member heart-beats when it completes, so a move does not wait a
     * heartbeat interval. The callbacks run on the coordinator's thread and must only schedule
     * work. A coordinator that cannot tell (the default) never completes it: members then learn of
     * changes on their next heartbeat.
     */
    default CompletableFuture<Void> changed(String group) {
        return new CompletableFuture<>();
    }

    /** Leaves the group, committing the given positions and freeing every range it owned. */
    void leave(String group, String member, Map<Integer, Long> positions);

    /**
     * The group, created first (split into {@code ranges} key ranges, every position at the log's
     * first sequence) if it does not exist: for a reader that is not a member, such as a Flink job
     * committing its checkpointed positions ({@link #commitIdle}).
     */
    GroupDescription create(String group, int ranges);

    /**
     * Commits positions (range id → position) of a group that has no live members, on behalf of a
     * reader that is not a member: a Flink job commits what its completed checkpoints read, as
     * Flink's Kafka source commits offsets to a consumer group.
     *
     * @throws InvalidArgumentException if the group has live members, does not exist, or has no
     *     such range
     */
    void commitIdle(String group, Map<Integer, Long> positions);

    /** Names of the log's groups, sorted. */
    List<String> list();

    /** The group's ranges, positions, owners and live members; empty if there is no such group. */
    Optional<GroupDescription> describe(String group);

    /**
     * Sets every range's position to {@code sequence} (clamped to the log's first sequence and
     * frontier).
     *
     * @throws InvalidArgumentException if the group has live members, or does not exist
     */
    void reset(String group, long sequence);

    /**
     * Deletes the group and its positions; false if there was none.
     *
     * @throws InvalidArgumentException if the group has live members
     */
    boolean delete(String group);

    /** A group name or member id a coordinator accepts: 1 to 200 characters, no control ones. */
    static void validateName(String what, String name) {
        if (name == null || name.isEmpty() || name.length() > 200) {
            throw new InvalidArgumentException(
                    what
                            + " must be 1 to 200 characters, got "
                            + (name == null ? "null" : "'" + name + "'"));
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new InvalidArgumentException(
                        what + " '" + name + "' contains a control character at " + i);
            }
        }
    }
}
