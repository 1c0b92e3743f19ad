package io.lsmlog.flink.source.enumerator;

import io.lsmlog.GroupDescription;
import io.lsmlog.GroupOptions;
import io.lsmlog.KeyRange;
import io.lsmlog.LogWrite;
import io.lsmlog.flink.internal.LogConfigHolder;
import io.lsmlog.flink.internal.SharedLogs;
import io.lsmlog.flink.source.split.LsmLogSplit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * Commits what a source's completed checkpoints read to a reader group ({@code setCommitToGroup}),
 * as Flink's Kafka source commits offsets: for monitoring ({@code lsmlog groups describe} shows the
 * job's lag) and for a later job that starts from the group. Never used for the job's own recovery,
 * which restores its checkpoint.
 *
 * <p>A group range's position is one sequence below which every entry of its keys was read: the
 * lowest start of an unfinished split over its keys, where a tailing split counts from how far its
 * reader had read at the checkpoint. The enumerator's unfinished splits are taken at its snapshot
 * and the readers' progress from their {@link CheckpointPositionsEvent}s; a report that did not
 * arrive only makes the position lower (safe), never higher.
 */
final class GroupCommitter implements AutoCloseable {
    private static final int KEPT_CHECKPOINTS = 16;

    private final String group;
    private final LogConfigHolder log;
    private final List<KeyRange> selection;
    private final long stopSequence;
    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    @Nullable private SharedLogs.Lease<LogWrite> writer;
    private Map<Integer, Long> lastCommitted = Map.of();

    /** One checkpoint's view: the enumerator's unfinished splits, and what readers reported. */
    static final class Pending {
        final List<LsmLogSplit> unfinished;
        final long plannedTo; // sequences from here on were in no split yet
        final Map<String, Long> tailing = new HashMap<>();
        final Set<String> finished = new HashSet<>();

        Pending(Collection<LsmLogSplit> unfinished, long plannedTo) {
            this.unfinished = new ArrayList<>(unfinished);
            this.plannedTo = plannedTo;
        }
    }

    GroupCommitter(String group, LogConfigHolder log, List<KeyRange> selection, long stopSequence) {
        this.group = group;
        this.log = log;
        this.selection = List.copyOf(selection);
        this.stopSequence = stopSequence;
    }

    String group() {
        return group;
    }

    /**
     * The enumerator's checkpoint: its splits not finished then, and the sequence up to which it
     * had planned splits (Long.MAX_VALUE once a tailing split covers what is to come).
     */
    void snapshot(long checkpointId, Collection<LsmLogSplit> unfinished, long plannedTo) {
        pending.put(checkpointId, new Pending(unfinished, plannedTo));
        while (pending.size() > KEPT_CHECKPOINTS) {
            pending.pollFirstEntry(); // checkpoints that never completed
        }
    }

    void report(CheckpointPositionsEvent e) {
        Pending p = pending.get(e.checkpointId());
        if (p != null) {
            p.tailing.putAll(e.tailing());
            p.finished.addAll(e.finished());
        }
    }

    /**
     * The positions to commit for a completed checkpoint, computed on the caller's thread from a
     * copy; null when nothing is known of that checkpoint.
     */
    @Nullable
    Commit complete(long checkpointId) {
        Pending p = pending.remove(checkpointId);
        pending.headMap(checkpointId).clear();
        return p == null ? null : new Commit(p);
    }

    /** One commit, run off the coordinator thread: it may wait for the log's server. */
    final class Commit {
        private final Pending checkpoint;

        private Commit(Pending checkpoint) {
            this.checkpoint = checkpoint;
        }

        /** Commits the positions; returns them (range id → position), empty if none changed. */
        Map<Integer, Long> run() {
            synchronized (GroupCommitter.this) {
                if (writer == null) {
                    writer = SharedLogs.writer(log);
                }
                LogWrite w = writer.get();
                GroupDescription d = w.groups().create(group, GroupOptions.defaults().ranges());
                Map<Integer, Long> positions = positions(d, checkpoint);
                if (positions.isEmpty() || positions.equals(lastCommitted)) {
                    return Map.of();
                }
                w.groups().commitIdle(group, positions);
                lastCommitted = positions;
                return positions;
            }
        }
    }

    /** Package-private for tests. */
    Map<Integer, Long> positions(GroupDescription d, Pending p) {
        Map<Integer, Long> out = new TreeMap<>();
        for (GroupDescription.Range r : d.ranges()) {
            if (selection.stream().noneMatch(s -> s.encloses(r.keys()))) {
                continue; // keys this job does not read: not its to commit
            }
            long position = Math.min(stopSequence, p.plannedTo);
            for (LsmLogSplit s : p.unfinished) {
                if (p.finished.contains(s.splitId()) || !s.keys().overlaps(r.keys())) {
                    continue;
                }
                long bound =
                        s.tailing()
                                ? p.tailing.getOrDefault(s.splitId(), s.nextSequence())
                                : s.from();
                position = Math.min(position, bound);
            }
            if (position != Long.MAX_VALUE) { // MAX: between segments, nothing known; skip
                out.put(r.id(), position);
            }
        }
        return out;
    }

    /** For tests: a checkpoint's view built directly. */
    static Pending view(
            Collection<LsmLogSplit> unfinished, long plannedTo, Map<String, Long> tailing) {
        Pending p = new Pending(unfinished, plannedTo);
        p.tailing.putAll(tailing);
        return p;
    }

    @Override
    public synchronized void close() throws Exception {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
