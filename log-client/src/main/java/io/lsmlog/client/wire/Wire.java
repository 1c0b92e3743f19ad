package io.lsmlog.client.wire;

import com.google.protobuf.UnsafeByteOperations;
import io.lsmlog.AppendResult;
import io.lsmlog.KeyRange;
import io.lsmlog.LogEntry;
import io.lsmlog.Marker;
import io.lsmlog.Segment;
import io.lsmlog.SeqRange;
import io.lsmlog.StageId;
import io.lsmlog.Staged;
import io.lsmlog.client.proto.AppendReply;
import io.lsmlog.client.proto.EntryMsg;
import io.lsmlog.client.proto.KeyRangeMsg;
import io.lsmlog.client.proto.MarkerMsg;
import io.lsmlog.client.proto.SegmentMsg;
import io.lsmlog.client.proto.SeqRangeMsg;
import io.lsmlog.client.proto.StageIdMsg;
import io.lsmlog.client.proto.StagedMsg;

/**
 * Conversions between log-core's types and the wire messages, in one place for the client and the
 * server. Byte arrays are wrapped, not copied, where the array is never written again.
 */
public final class Wire {
    /** The protocol this build speaks; a client and server that differ are refused at Hello. */
    public static final int PROTOCOL_VERSION = 1;

    private Wire() {}

    public static com.google.protobuf.ByteString bytes(byte[] b) {
        return UnsafeByteOperations.unsafeWrap(b);
    }

    public static KeyRangeMsg keys(KeyRange r) {
        KeyRangeMsg.Builder b = KeyRangeMsg.newBuilder();
        if (r.start() != null) {
            b.setStart(bytes(r.start()));
        }
        if (r.end() != null) {
            b.setEnd(bytes(r.end()));
        }
        return b.build();
    }

    public static KeyRange keys(KeyRangeMsg m) {
        return KeyRange.between(
                m.hasStart() ? m.getStart().toByteArray() : null,
                m.hasEnd() ? m.getEnd().toByteArray() : null);
    }

    public static SeqRangeMsg range(SeqRange r) {
        return SeqRangeMsg.newBuilder()
                .setFrom(r.from())
                .setTo(r.to())
                .setFailIfDropped(r.failsIfDropped())
                .build();
    }

    public static SeqRange range(SeqRangeMsg m) {
        return new SeqRange(m.getFrom(), m.getTo(), m.getFailIfDropped());
    }

    public static MarkerMsg marker(Marker m) {
        return MarkerMsg.newBuilder().setEpoch(m.epoch()).setPosition(m.position()).build();
    }

    public static Marker marker(MarkerMsg m) {
        return new Marker(m.getEpoch(), m.getPosition());
    }

    public static AppendReply.Builder appendReply(long id, AppendResult r) {
        return AppendReply.newBuilder()
                .setId(id)
                .setFirstSequence(r.firstSequence())
                .setLastSequence(r.lastSequence())
                .setSegmentId(r.segmentId())
                .setAppendTime(r.appendTime());
    }

    public static AppendResult appendResult(AppendReply r) {
        return new AppendResult(
                r.getFirstSequence(), r.getLastSequence(), r.getSegmentId(), r.getAppendTime());
    }

    public static SegmentMsg segment(Segment s, long approximateBytes) {
        return SegmentMsg.newBuilder()
                .setId(s.id())
                .setStartSequence(s.startSequence())
                .setStartTime(s.startTime())
                .setApproximateBytes(approximateBytes)
                .build();
    }

    public static Segment segment(SegmentMsg m) {
        return new Segment(m.getId(), m.getStartSequence(), m.getStartTime());
    }

    public static StageIdMsg stageId(StageId id) {
        return StageIdMsg.newBuilder()
                .setSinkId(id.sinkId())
                .setSubtask(id.subtask())
                .setCheckpointId(id.checkpointId())
                .build();
    }

    public static StageId stageId(StageIdMsg m) {
        return new StageId(m.getSinkId(), m.getSubtask(), m.getCheckpointId());
    }

    public static StagedMsg staged(Staged s) {
        return StagedMsg.newBuilder()
                .setId(stageId(s.id()))
                .setRecords(s.records())
                .setBytes(s.bytes())
                .build();
    }

    public static Staged staged(StagedMsg m) {
        return new Staged(stageId(m.getId()), m.getRecords(), m.getBytes());
    }

    public static EntryMsg entry(LogEntry e) {
        return EntryMsg.newBuilder()
                .setKey(bytes(e.key()))
                .setSequence(e.sequence())
                .setTimestamp(e.timestamp())
                .setValue(bytes(e.value()))
                .setTombstone(e.tombstone())
                .build();
    }

    public static LogEntry entry(EntryMsg m) {
        return new LogEntry(
                m.getKey().toByteArray(),
                m.getSequence(),
                m.getTimestamp(),
                m.getValue().toByteArray(),
                m.getTombstone());
    }
}
