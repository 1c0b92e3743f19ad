package io.lsmlog.client.wire;

import io.lsmlog.GroupAssignment;
import io.lsmlog.GroupDescription;
import io.lsmlog.GroupRange;
import io.lsmlog.client.proto.GroupAssignmentMsg;
import io.lsmlog.client.proto.GroupDescriptionMsg;
import io.lsmlog.client.proto.GroupRangeMsg;
import java.util.ArrayList;
import java.util.List;

/** Reader-group types on the wire, for the client and the server (see {@link Wire}). */
public final class GroupWire {
    private GroupWire() {}

    public static GroupAssignmentMsg assignment(GroupAssignment a) {
        GroupAssignmentMsg.Builder b =
                GroupAssignmentMsg.newBuilder()
                        .setGeneration(a.generation())
                        .addAllRevoke(a.revoke());
        for (GroupRange r : a.owned()) {
            b.addOwned(
                    GroupRangeMsg.newBuilder()
                            .setId(r.id())
                            .setKeys(Wire.keys(r.keys()))
                            .setPosition(r.position()));
        }
        return b.build();
    }

    public static GroupAssignment assignment(GroupAssignmentMsg m) {
        List<GroupRange> owned = new ArrayList<>(m.getOwnedCount());
        for (GroupRangeMsg r : m.getOwnedList()) {
            owned.add(new GroupRange(r.getId(), Wire.keys(r.getKeys()), r.getPosition()));
        }
        return new GroupAssignment(m.getGeneration(), owned, m.getRevokeList());
    }

    public static GroupDescriptionMsg description(GroupDescription d) {
        GroupDescriptionMsg.Builder b =
                GroupDescriptionMsg.newBuilder().setName(d.name()).setGeneration(d.generation());
        for (GroupDescription.Range r : d.ranges()) {
            b.addRanges(
                    GroupDescriptionMsg.Range.newBuilder()
                            .setId(r.id())
                            .setKeys(Wire.keys(r.keys()))
                            .setPosition(r.position())
                            .setOwner(r.owner() == null ? "" : r.owner())
                            .setNextOwner(r.nextOwner() == null ? "" : r.nextOwner()));
        }
        for (GroupDescription.Member m : d.members()) {
            b.addMembers(
                    GroupDescriptionMsg.Member.newBuilder()
                            .setId(m.id())
                            .setIdleMs(m.idleMillis())
                            .setSessionTimeoutMs(m.sessionTimeoutMillis()));
        }
        return b.build();
    }

    public static GroupDescription description(GroupDescriptionMsg m) {
        List<GroupDescription.Range> ranges = new ArrayList<>(m.getRangesCount());
        for (GroupDescriptionMsg.Range r : m.getRangesList()) {
            ranges.add(
                    new GroupDescription.Range(
                            r.getId(),
                            Wire.keys(r.getKeys()),
                            r.getPosition(),
                            r.getOwner().isEmpty() ? null : r.getOwner(),
                            r.getNextOwner().isEmpty() ? null : r.getNextOwner()));
        }
        List<GroupDescription.Member> members = new ArrayList<>(m.getMembersCount());
        for (GroupDescriptionMsg.Member x : m.getMembersList()) {
            members.add(
                    new GroupDescription.Member(x.getId(), x.getIdleMs(), x.getSessionTimeoutMs()));
        }
        return new GroupDescription(m.getName(), m.getGeneration(), ranges, members);
    }
}
