package io.lsmlog.flink.source.enumerator;

import io.lsmlog.KeyRange;
import io.lsmlog.LogRead;
import io.lsmlog.Segment;
import io.lsmlog.flink.internal.LogConfigHolder;
import io.lsmlog.flink.internal.SharedLogs;
import io.lsmlog.flink.source.split.LsmLogSplit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans (segment, key range) splits as segments appear and hands them to readers, keeping per-key
 * order: a split is assigned only when no unfinished split of an earlier segment overlaps its key
 * range (readers report finished splits with {@link SplitsFinishedEvent}), and — when it goes to
 * another reader than the one that read that earlier split (after a rescale) — only once a
 * checkpoint taken after that finish completed, so the earlier reader's records are no longer in
 * flight when the new reader's overtake them on another channel.
 */
public final class LsmLogSplitEnumerator implements SplitEnumerator<LsmLogSplit, LsmLogEnumState> {
    private static final Logger LOG = LoggerFactory.getLogger(LsmLogSplitEnumerator.class);

    /** What the enumerator needs from the source's configuration. */
    public record Settings(
            List<KeyRange> selection,
            long targetSplitBytes,
            long discoveryIntervalMillis,
            @Nullable GroupCommitSettings commitToGroup) {
        public Settings(
                List<KeyRange> selection, long targetSplitBytes, long discoveryIntervalMillis) {
            this(selection, targetSplitBytes, discoveryIntervalMillis, null);
        }
    }

    /** Where completed checkpoints' positions are committed ({@code setCommitToGroup}). */
    public record GroupCommitSettings(String group, LogConfigHolder log) {}

    private boolean limitReached; // a reader emitted the record limit: everyone stops
    private final Set<Integer> endedReaders = new HashSet<>(); // sent nothing: they may be gone
    private final SplitEnumeratorContext<LsmLogSplit> context;
    private final SharedLogs.Lease<LogRead> lease;
    private final Settings settings;
    private final long startSequence;
    private final long stopSequence;
    private int nextSegment;
    private boolean planningDone;
    private List<KeyRange> lanes;
    private final List<RangeStart> starts;
    private long plannedTo; // every sequence below it is in a planned split
    @Nullable private final GroupCommitter committer;

    /** Unfinished splits by id, in planning order (segment order). */
    private final LinkedHashMap<String, LsmLogSplit> unfinished = new LinkedHashMap<>();

    private final Set<String> assigned = new HashSet<>();
    private final List<String> finishedSinceSnapshot = new ArrayList<>();
    private final TreeMap<Long, List<String>> finishedByCheckpoint = new TreeMap<>();
    private final Set<Integer> noMoreSplitsSent = new HashSet<>();
    private final Map<Integer, Long> sessions = new HashMap<>();

    /**
     * Finished splits whose records may still be in flight downstream of the reader that read them:
     * an overlapping later split waits for them when it goes to another reader. Settled when a
     * checkpoint taken after the finish completes (its barriers passed behind those records), or —
     * in a job that never checkpoints — {@link #HANDOVER_WITHOUT_CHECKPOINTS} after the finish. Not
     * in the state: after a restore everything before it has settled.
     */
    private final Map<String, Handover> unsettled = new LinkedHashMap<>();

    private record Handover(LsmLogSplit split, int reader, long finishedAtNanos) {}

    static final java.time.Duration HANDOVER_WITHOUT_CHECKPOINTS = java.time.Duration.ofSeconds(10);
    private boolean checkpointsSeen; // once true, handovers wait for a completed checkpoint
    private volatile long finishedSplits; // since this enumerator started, for its metric

    public LsmLogSplitEnumerator(
            SplitEnumeratorContext<LsmLogSplit> context,
            SharedLogs.Lease<LogRead> lease,
            Settings settings,
            LsmLogEnumState state) {
        this.context = context;
        this.lease = lease;
        this.settings = settings;
        this.startSequence = state.startSequence();
        this.stopSequence = state.stopSequence();
        this.nextSegment = state.nextSegment();
        this.planningDone = state.planningDone();
        this.lanes = List.copyOf(state.lanes());
        this.starts = List.copyOf(state.starts());
        this.plannedTo = startSequence;
        for (LsmLogSplit s : state.unfinished()) {
            unfinished.put(s.splitId(), s);
            plannedTo = Math.max(plannedTo, s.to());
        }
        this.committer =
                settings.commitToGroup() == null
                        ? null
                        : new GroupCommitter(
                                settings.commitToGroup().group(),
                                settings.commitToGroup().log(),
                                settings.selection(),
                                stopSequence);
        // Assigned splits live on in the readers' restored state; they stay unfinished here.
        assigned.addAll(state.assigned());
    }

    @Override
    public void start() {
        // Split counts: being read, held back (by the per-key order gate or for a reader), done.
        context.metricGroup().gauge("assignedSplits", () -> assigned.size());
        context.metricGroup()
                .gauge("waitingSplits", () -> Math.max(0, unfinished.size() - assigned.size()));
        context.metricGroup().gauge("finishedSplits", () -> finishedSplits);
        if (planningDone) {
            assignReleasable();
            // Handovers of a job that never checkpoints settle by time: look again now and then.
            context.callAsync(
                    () -> null,
                    (v, error) -> assignReleasable(),
                    settings.discoveryIntervalMillis(),
                    settings.discoveryIntervalMillis());
            return;
        }
        context.callAsync(this::discover, this::applyPlan, 0, settings.discoveryIntervalMillis());
    }

    /** Runs off the coordinator thread: reads the segment table and plans new splits. */
    private Plan discover() {
        LogRead log = lease.get();
        log.refresh();
        List<Segment> segments = log.segments();
        long frontier = log.nextSequence();
        List<LsmLogSplit> planned = new ArrayList<>();
        int next = nextSegment;
        boolean done = false;
        List<KeyRange> laneRanges = lanes;
        if (laneRanges.isEmpty() && !segments.isEmpty()) {
            laneRanges =
                    SplitPlanner.lanes(
                            log, settings.selection(), Math.max(1, context.currentParallelism()));
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s.id() < next) {
                continue;
            }
            boolean newest = i == segments.size() - 1;
            long end = newest ? Long.MAX_VALUE : segments.get(i + 1).startSequence();
            if (s.startSequence() >= stopSequence) {
                done = true;
                break;
            }
            next = s.id() + 1;
            if (end <= startSequence) {
                continue; // wholly before the start
            }
            long from = Math.max(startSequence, s.startSequence());
            long to = Math.min(end, stopSequence);
            // Entries below the frontier are all written: read them in key order. Otherwise tail.
            boolean tailing = to > frontier;
            planned.addAll(
                    RangeStart.cut(
                            SplitPlanner.plan(
                                    log,
                                    s,
                                    laneRanges,
                                    from,
                                    to,
                                    tailing,
                                    settings.targetSplitBytes()),
                            starts));
            if (stopSequence != Long.MAX_VALUE && to == stopSequence) {
                done = true;
                break;
            }
        }
        if (stopSequence <= startSequence) {
            done = true;
        }
        return new Plan(planned, next, done, laneRanges);
    }

    private record Plan(
            List<LsmLogSplit> splits, int nextSegment, boolean done, List<KeyRange> lanes) {}

    private void applyPlan(@Nullable Plan plan, @Nullable Throwable error) {
        if (error != null) {
            LOG.warn("lsmlog split discovery failed; retrying at the next interval", error);
            return;
        }
        if (plan.nextSegment < nextSegment || (!lanes.isEmpty() && !lanes.equals(plan.lanes))) {
            return; // stale
        }
        lanes = plan.lanes;
        for (LsmLogSplit s : plan.splits) {
            if (s.segment() >= nextSegment) {
                unfinished.put(s.splitId(), s);
                plannedTo = Math.max(plannedTo, s.to());
            }
        }
        nextSegment = plan.nextSegment;
        planningDone = planningDone || plan.done;
        assignReleasable();
    }

    /**
     * Assigns every unassigned split that no unfinished split of an earlier segment overlaps, to
     * the reader of its lane ({@code lane % parallelism}).
     */
    private void assignReleasable() {
        if (!checkpointsSeen) {
            long now = System.nanoTime();
            unsettled
                    .values()
                    .removeIf(
                            h ->
                                    now - h.finishedAtNanos()
                                            >= HANDOVER_WITHOUT_CHECKPOINTS.toNanos());
        }
        Map<Integer, List<LsmLogSplit>> batch = new HashMap<>();
        Set<Integer> readers = context.registeredReaders().keySet();
        int parallelism = Math.max(1, context.currentParallelism());
        for (LsmLogSplit s : unfinished.values()) {
            int reader = s.lane() % parallelism;
            if (assigned.contains(s.splitId())
                    || !readers.contains(reader)
                    || !releasable(s, reader)) {
                continue;
            }
            batch.computeIfAbsent(reader, r -> new ArrayList<>()).add(s);
            assigned.add(s.splitId());
        }
        if (!batch.isEmpty()) {
            LOG.info("assigning {}", batch);
            context.assignSplits(new SplitsAssignment<>(batch));
        }
        if (planningDone && unfinished.isEmpty()) {
            for (int r : readers) {
                if (noMoreSplitsSent.add(r)) {
                    context.signalNoMoreSplits(r);
                }
            }
        }
    }

    /**
     * Package-private for tests: may {@code reader} read this split now without breaking per-key
     * order?
     */
    boolean releasable(LsmLogSplit s, int reader) {
        for (LsmLogSplit other : unfinished.values()) {
            if (other.segment() < s.segment() && other.overlaps(s)) {
                return false;
            }
        }
        long now = System.nanoTime();
        for (Handover h : unsettled.values()) {
            if (h.reader() != reader
                    && h.split().segment() < s.segment()
                    && h.split().overlaps(s)
                    && (checkpointsSeen
                            || now - h.finishedAtNanos()
                                    < HANDOVER_WITHOUT_CHECKPOINTS.toNanos())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        if (limitReached) {
            context.sendEventToSourceReader(subtaskId, new StopReadingEvent());
            return;
        }
        assignReleasable();
    }

    @Override
    public void addSplitsBack(List<LsmLogSplit> splits, int subtaskId) {
        LOG.info("splits back from reader {}: {}", subtaskId, splits);
        // Assigned after the last checkpoint to a reader that failed: read them again, from
        // their start, in planning order.
        for (LsmLogSplit s : splits) {
            assigned.remove(s.splitId());
            unfinished.put(s.splitId(), s);
        }
        List<LsmLogSplit> all = new ArrayList<>(unfinished.values());
        all.sort(Comparator.comparingInt(LsmLogSplit::segment));
        unfinished.clear();
        for (LsmLogSplit s : all) {
            unfinished.put(s.splitId(), s);
        }
        noMoreSplitsSent.remove(subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
        noMoreSplitsSent.remove(subtaskId);
        endedReaders.remove(subtaskId);
        if (limitReached) {
            context.sendEventToSourceReader(subtaskId, new StopReadingEvent());
            return;
        }
        assignReleasable();
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof ReaderFinishedEvent) {
            endedReaders.add(subtaskId);
            return;
        }
        if (event instanceof LimitReachedEvent) {
            // Not checkpointed: after a restore the readers count again, and the planner's limit
            // still cuts the result.
            limitReached = true;
            for (int reader : liveReaders()) {
                context.sendEventToSourceReader(reader, new StopReadingEvent());
            }
            return;
        }
        if (event instanceof CheckpointPositionsEvent positions) {
            if (committer != null
                    && Long.valueOf(positions.session()).equals(sessions.get(subtaskId))) {
                committer.report(positions);
            }
            return;
        }
        if (event instanceof SplitsFinishedEvent finished) {
            // A failed reader attempt's events can still arrive after the enumerator was reset to
            // a checkpoint; a stale "finished" would release later segments early. Each reader
            // run announces its session first, and only the current session is heard.
            if (finished.hello()) {
                sessions.put(subtaskId, finished.session());
            } else if (!Long.valueOf(finished.session()).equals(sessions.get(subtaskId))) {
                LOG.info(
                        "ignoring {} from reader {}: not its current session", finished, subtaskId);
                return;
            }
            LOG.info("reader {} finished {}", subtaskId, finished.splitIds());
            long now = System.nanoTime();
            for (String id : finished.splitIds()) {
                LsmLogSplit split = unfinished.remove(id);
                if (split != null) {
                    finishedSinceSnapshot.add(id);
                    finishedSplits++;
                    unsettled.put(id, new Handover(split, subtaskId, now));
                }
                assigned.remove(id);
            }
            assignReleasable();
        }
    }

    @Override
    public LsmLogEnumState snapshotState(long checkpointId) {
        checkpointsSeen = true;
        finishedByCheckpoint.put(checkpointId, new ArrayList<>(finishedSinceSnapshot));
        finishedSinceSnapshot.clear();
        if (committer != null) {
            committer.snapshot(
                    checkpointId, unfinished.values(), planningDone ? Long.MAX_VALUE : plannedTo);
        }
        return new LsmLogEnumState(
                startSequence,
                stopSequence,
                nextSegment,
                planningDone,
                lanes,
                new ArrayList<>(unfinished.values()),
                new HashSet<>(assigned),
                starts);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        GroupCommitter.Commit commit = committer == null ? null : committer.complete(checkpointId);
        if (commit != null) {
            context.callAsync(
                    commit::run,
                    (positions, error) -> {
                        if (error != null) {
                            // Best effort, as Kafka's offset commits: the next checkpoint tries
                            // again; the job's own recovery never depends on the group.
                            LOG.warn(
                                    "committing checkpoint {} to reader group '{}' failed: {}",
                                    checkpointId,
                                    committer.group(),
                                    error.toString());
                        } else if (!positions.isEmpty()) {
                            LOG.debug(
                                    "checkpoint {} committed to group '{}': {}",
                                    checkpointId,
                                    committer.group(),
                                    positions);
                        }
                    });
        }
        List<String> ids = new ArrayList<>();
        Map<Long, List<String>> done = finishedByCheckpoint.headMap(checkpointId, true);
        done.values().forEach(ids::addAll);
        done.clear();
        if (!ids.isEmpty()) {
            unsettled.keySet().removeAll(ids);
            assignReleasable(); // splits waiting for a handover to another reader may go now
        }
        if (!ids.isEmpty()) {
            for (int r : liveReaders()) {
                context.sendEventToSourceReader(r, new FinishedSplitsCheckpointedEvent(ids));
            }
        }
    }

    /** Registered readers that have not ended their input. */
    private List<Integer> liveReaders() {
        List<Integer> live = new ArrayList<>();
        for (int r : context.registeredReaders().keySet()) {
            if (!endedReaders.contains(r)) {
                live.add(r);
            }
        }
        return live;
    }

    @Override
    public void close() throws java.io.IOException {
        try {
            if (committer != null) {
                committer.close();
            }
            lease.close();
        } catch (Exception e) {
            throw new java.io.IOException("closing the log reader failed", e);
        }
    }
}
