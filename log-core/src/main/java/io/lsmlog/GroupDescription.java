package io.lsmlog;

import java.util.List;

/** A reader group as its coordinator sees it: ranges, positions, owners and live members. */
public record GroupDescription(
        String name, long generation, List<Range> ranges, List<Member> members) {
    public GroupDescription {
        ranges = List.copyOf(ranges);
        members = List.copyOf(members);
    }

    /**
     * @param owner the member reading it, or null
     * @param nextOwner the member it moves to once its owner releases it (or its session expires),
     *     or null when it stays
     */
    public record Range(int id, KeyRange keys, long position, String owner, String nextOwner) {}

    /** A live member: how long since its last heartbeat, and its session timeout. */
    public record Member(String id, long idleMillis, long sessionTimeoutMillis) {}

    /** True while any member is in the group: reset and delete are refused then. */
    public boolean active() {
        return !members.isEmpty();
    }
}
