package io.lsmlog;

import java.util.List;

/**
 * What the coordinator tells a member on every join and heartbeat.
 *
 * @param generation bumped on every membership change
 * @param owned the ranges the member reads now, with their committed positions (a member keeps its
 *     own, further position for a range it already reads)
 * @param revoke ranges the member owns but must give up: it stops reading them and releases them
 *     with their positions, after which their new owner gets them
 */
public record GroupAssignment(long generation, List<GroupRange> owned, List<Integer> revoke) {
    public GroupAssignment {
        owned = List.copyOf(owned);
        revoke = List.copyOf(revoke);
    }
}
