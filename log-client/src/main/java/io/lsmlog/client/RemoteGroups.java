package io.lsmlog.client;

import io.lsmlog.AppendResult;
import io.lsmlog.GroupAssignment;
import io.lsmlog.GroupDescription;
import io.lsmlog.Groups;
import io.lsmlog.Record;
import io.lsmlog.client.proto.CommitGroupRequest;
import io.lsmlog.client.proto.DescribeGroupReply;
import io.lsmlog.client.proto.GroupHeartbeatRequest;
import io.lsmlog.client.proto.GroupNameMsg;
import io.lsmlog.client.proto.JoinGroupRequest;
import io.lsmlog.client.proto.ListGroupsRequest;
import io.lsmlog.client.proto.ResetGroupRequest;
import io.lsmlog.client.wire.GroupWire;
import io.lsmlog.client.wire.Packed;
import io.lsmlog.client.wire.Wire;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Groups} served by the log server: its log is the one coordinator, so members in any number
 * of processes agree. Every call but {@link #commitWith} is safe to repeat and is retried across a
 * broken connection (a repeated join takes the member over again, a repeated release or commit
 * changes nothing); {@code commitWith} appends, so it is sent once and a broken connection is
 * reported, as an append is.
 */
final class RemoteGroups implements Groups {
    private final Connection connection;

    RemoteGroups(Connection connection) {
        this.connection = connection;
    }

    @Override
    public GroupAssignment join(String group, String member, Duration sessionTimeout, int ranges) {
        Groups.validateName("a group name", group);
        Groups.validateName("a member id", member);
        JoinGroupRequest r =
                JoinGroupRequest.newBuilder()
                        .setGroup(group)
                        .setMember(member)
                        .setSessionTimeoutMs(sessionTimeout.toMillis())
                        .setRanges(ranges)
                        .build();
        return GroupWire.assignment(connection.call(() -> connection.blocking().joinGroup(r)));
    }

    @Override
    public GroupAssignment heartbeat(String group, String member, Map<Integer, Long> released) {
        GroupHeartbeatRequest r =
                GroupHeartbeatRequest.newBuilder()
                        .setGroup(group)
                        .setMember(member)
                        .putAllReleased(released)
                        .build();
        return GroupWire.assignment(connection.call(() -> connection.blocking().groupHeartbeat(r)));
    }

    @Override
    public void commit(String group, String member, Map<Integer, Long> positions) {
        CommitGroupRequest r = positions(group, member, positions).build();
        connection.call(() -> connection.blocking().commitGroup(r));
    }

    @Override
    public AppendResult commitWith(
            String group, String member, Map<Integer, Long> positions, List<Record> records) {
        CommitGroupRequest r =
                positions(group, member, positions).setRecords(Packed.records(records)).build();
        try {
            return Wire.appendResult(connection.blocking().commitGroupWith(r));
        } catch (RuntimeException e) {
            throw connection.failure(e);
        }
    }

    @Override
    public void leave(String group, String member, Map<Integer, Long> positions) {
        CommitGroupRequest r = positions(group, member, positions).build();
        connection.call(() -> connection.blocking().leaveGroup(r));
    }

    @Override
    public GroupDescription create(String group, int ranges) {
        Groups.validateName("a group name", group);
        JoinGroupRequest r =
                JoinGroupRequest.newBuilder().setGroup(group).setRanges(ranges).build();
        return GroupWire.description(
                connection.call(() -> connection.blocking().createGroup(r)).getGroup());
    }

    @Override
    public void commitIdle(String group, Map<Integer, Long> positions) {
        CommitGroupRequest r =
                CommitGroupRequest.newBuilder().setGroup(group).putAllPositions(positions).build();
        connection.call(() -> connection.blocking().commitIdleGroup(r));
    }

    @Override
    public List<String> list() {
        return connection
                .call(
                        () ->
                                connection
                                        .blocking()
                                        .listGroups(ListGroupsRequest.getDefaultInstance()))
                .getGroupsList();
    }

    @Override
    public Optional<GroupDescription> describe(String group) {
        DescribeGroupReply r =
                connection.call(() -> connection.blocking().describeGroup(name(group)));
        return r.getPresent() ? Optional.of(GroupWire.description(r.getGroup())) : Optional.empty();
    }

    @Override
    public void reset(String group, long sequence) {
        ResetGroupRequest r =
                ResetGroupRequest.newBuilder().setGroup(group).setSequence(sequence).build();
        connection.call(() -> connection.blocking().resetGroup(r));
    }

    @Override
    public boolean delete(String group) {
        return connection.call(() -> connection.blocking().deleteGroup(name(group))).getDeleted();
    }

    private static GroupNameMsg name(String group) {
        return GroupNameMsg.newBuilder().setGroup(group).build();
    }

    private static CommitGroupRequest.Builder positions(
            String group, String member, Map<Integer, Long> positions) {
        return CommitGroupRequest.newBuilder()
                .setGroup(group)
                .setMember(member)
                .putAllPositions(positions);
    }
}
