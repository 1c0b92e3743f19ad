package io.lsmlog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a reader group: it is given a share of the log's key ranges, reads each key's
 * entries in sequence order and commits how far it got; ranges move between members as they join,
 * leave or stop heart-beating. Like Kafka's consumer, {@link #poll} is called from one thread;
 * heartbeats run on a background thread, so slow processing does not end the session. What a poll
 * returned counts as consumed: the next commit (explicit, or the auto-commit on a later poll)
 * covers it. After a member crashes, its ranges restart from their committed positions
 * (at-least-once); {@link #commitWith} writes a member's output and its positions in one atomic
 * write (exactly-once for output that goes to the same log).
 */
public final class ReaderGroup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReaderGroup.class);

    private final LogWrite log;
    private final Groups groups;
    private final String group;
    private final String member;
    private final GroupOptions options;
    private final ScheduledExecutorService beats;
    private volatile CompletableFuture<Void>
            changeWatch; // the heartbeat thread's (and the constructor's)
    private final Object lock = new Object();

    // Shared with the heartbeat thread, under lock.
    private GroupAssignment latest;
    private boolean rejoined;
    private final Map<Integer, Long> releasing = new HashMap<>();
    private long generation;
    private int rejoins;

    // The polling thread's own.
    private final Map<Integer, Lane> lanes = new TreeMap<>();
    // A lane far behind the frontier catches up one window (the rest of a segment) at a time with
    // a key-range scan, which reads the segment's per-key chunks in place of the write order; the
    // lane's position moves to the window's end only when the window is read to its end.
    private LogIterator window;
    private Lane windowLane;
    private long windowEnd;
    private boolean windowRevoked; // released when its window is read: no redelivery on a move
    // One sequence-order scan over every lane's range, from their lowest position: one pass over
    // the log's write order per member, however many ranges it owns.
    private LogIterator scan;
    private long scanBound; // the frontier when the scan started: all below it is in the scan
    private long lastCommit;
    private CompletableFuture<Long> frontierWait;
    private boolean closed;

    /** A range this member reads, and its next sequence. */
    private static final class Lane {
        final GroupRange range;
        long position;

        Lane(GroupRange range) {
            this.range = range;
            this.position = range.position();
        }
    }

    /**
     * How far behind the frontier (in sequences) a lane reads by windows of key-range scans, not by
     * the sequence-order scan: below it the sequence-order scan reads less than a window's per-key
     * seeks would.
     */
    static final long CATCH_UP_SEQUENCES = 65_536;

    private void closeScan() {
        if (scan != null) {
            scan.close();
            scan = null;
        }
    }

    private void closeWindow() {
        if (window != null) {
            window.close();
            window = null;
            windowLane = null;
            windowRevoked = false;
        }
    }

    private ReaderGroup(LogWrite log, String group, String member, GroupOptions options) {
        this.log = log;
        this.groups = log.groups();
        this.group = group;
        this.member = member;
        this.options = options;
        this.beats =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "lsmlog-group-" + group + "-" + member);
                            t.setDaemon(true);
                            return t;
                        });
        watchChanges(); // before the join: a member joining right after it moves ranges at once
        GroupAssignment first;
        try {
            first = groups.join(group, member, options.sessionTimeout(), options.ranges());
        } catch (RuntimeException e) {
            beats.shutdownNow();
            throw e;
        }
        this.latest = first;
        this.generation = first.generation();
        this.lastCommit = System.nanoTime();
        long every = options.heartbeatInterval().toMillis();
        beats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Joins {@code memberId} to {@code group} of the log (creating the group on first use). */
    public static ReaderGroup join(
            LogWrite log, String group, String memberId, GroupOptions options) {
        return new ReaderGroup(log, group, memberId, options);
    }

    /**
     * Up to {@code max} entries of this member's ranges, waiting up to {@code timeout} for some;
     * empty when none came. Entries of one key come in sequence order, across polls and rebalances.
     */
    public List<LogEntry> poll(int max, Duration timeout) throws InterruptedException {
        if (max < 1) {
            throw new InvalidArgumentException("poll takes at least 1 entry, got " + max);
        }
        checkOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        if (options.autoCommit()
                && System.nanoTime() - lastCommit >= options.autoCommitInterval().toNanos()) {
            commitQuietly();
        }
        while (true) {
            applyAssignment();
            long frontier = log.nextSequence();
            List<LogEntry> out = read(max, frontier);
            if (!out.isEmpty()) {
                return out;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return out;
            }
            waitForMore(frontier, left);
        }
    }

    /** Commits the position of everything earlier polls returned. */
    public void commit() {
        checkOpen();
        groups.commit(group, member, positions());
        lastCommit = System.nanoTime();
    }

    /**
     * Appends {@code output} to the log and commits this member's positions in one atomic write:
     * after a crash, either the output is in the log and its input is committed, or neither.
     */
    public AppendResult commitWith(List<Record> output) {
        checkOpen();
        AppendResult r = groups.commitWith(group, member, positions(), output);
        lastCommit = System.nanoTime();
        return r;
    }

    /** This member's position in each range it reads now (range id → next sequence). */
    public Map<Integer, Long> positions() {
        Map<Integer, Long> out = new LinkedHashMap<>();
        lanes.forEach((id, lane) -> out.put(id, lane.position));
        return out;
    }

    /** The ranges this member reads now, with its positions in them. */
    public List<GroupRange> assignment() {
        List<GroupRange> out = new ArrayList<>();
        lanes.forEach((id, l) -> out.add(new GroupRange(id, l.range.keys(), l.position)));
        return out;
    }

    /** Entries of this member's ranges after its positions, up to the frontier: exact. */
    public long lag() {
        long frontier = log.nextSequence();
        List<KeyRange> keys = new ArrayList<>();
        List<Long> from = new ArrayList<>();
        for (Lane l : lanes.values()) {
            keys.add(l.range.keys());
            from.add(l.position);
        }
        long lag = 0;
        for (long n : log.countRanges(keys, from, frontier)) {
            lag += n;
        }
        return lag;
    }

    /** The group generation this member last heard of. */
    public long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    /** How often this member had to rejoin (its session expired or the coordinator restarted). */
    public int rejoins() {
        synchronized (lock) {
            return rejoins;
        }
    }

    /**
     * Leaves the group: commits its positions first when auto-commit is on. A range this member is
     * catching up by a window (key by key, so no one position says how far it got) is committed at
     * the window's start: the part of the window already polled is delivered again to the next
     * owner. Leave between windows (poll until {@link #lag()} is small) to avoid it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        beats.shutdownNow();
        try {
            beats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<Integer, Long> positions = options.autoCommit() ? positions() : Map.of();
        closeScan();
        closeWindow();
        lanes.clear();
        try {
            groups.leave(group, member, positions);
        } catch (GroupFencedException e) {
            LOG.debug(
                    "{} left group {} after its session ended: {}", member, group, e.getMessage());
        } catch (LogException e) {
            LOG.warn("{} could not leave group {} cleanly: {}", member, group, e.getMessage());
        }
    }

    // ---- the polling thread

    private void checkOpen() {
        if (closed) {
            throw new LogClosedException("reader group member " + member + " is closed");
        }
    }

    private void commitQuietly() {
        try {
            commit();
        } catch (GroupFencedException e) {
            LOG.info("auto-commit of {} in group {} refused: {}", member, group, e.getMessage());
        }
    }

    /** Takes in what the last heartbeat said: new ranges open lanes, revoked ones are released. */
    private void applyAssignment() {
        GroupAssignment a;
        boolean reset;
        synchronized (lock) {
            a = latest;
            latest = null;
            reset = rejoined;
            rejoined = false;
        }
        if (reset) {
            closeScan();
            closeWindow();
            lanes.clear(); // uncommitted progress is read again from the committed positions
        }
        if (a == null) {
            return;
        }
        java.util.Set<Integer> before = new java.util.HashSet<>(lanes.keySet());
        Map<Integer, Long> release = new HashMap<>();
        for (int id : a.revoke()) {
            if (windowLane != null && windowLane.range.id() == id) {
                windowRevoked = true; // finish the window first, then release its end
                continue;
            }
            Lane lane = lanes.remove(id);
            release.put(id, lane == null ? -1 : lane.position);
        }
        Map<Integer, Long> pending;
        synchronized (lock) {
            pending = new HashMap<>(releasing);
        }
        // A revoke repeated by an answer from before our release: the release already pending
        // keeps its position (-1 would tell the coordinator to keep the older committed one).
        release.keySet().removeIf(id -> release.get(id) == -1 && pending.containsKey(id));
        List<Integer> owned = new ArrayList<>();
        for (GroupRange r : a.owned()) {
            if (pending.containsKey(r.id()) || release.containsKey(r.id())) {
                continue; // an answer from before our release reached the coordinator
            }
            owned.add(r.id());
            lanes.computeIfAbsent(r.id(), id -> new Lane(r));
        }
        if (windowRevoked) {
            owned.add(windowLane.range.id());
        }
        // Taken away without a revoke: this member's session expired.
        lanes.keySet().removeIf(id -> !owned.contains(id));
        if (windowLane != null && !lanes.containsKey(windowLane.range.id())) {
            closeWindow();
        }
        if (!before.equals(lanes.keySet())) {
            closeScan(); // the next read scans the new set of ranges
        }
        if (!release.isEmpty()) {
            synchronized (lock) {
                releasing.putAll(release);
            }
            beats.execute(this::beat); // free them now, not a heartbeat later
        }
    }

    private List<LogEntry> read(int max, long frontier) {
        List<LogEntry> out = new ArrayList<>();
        while (out.size() < max && (window != null || openWindow(frontier))) {
            if (window.hasNext()) {
                out.add(window.next());
            }
            if (!window.hasNext()) {
                finishWindow(); // now, not on the next poll: a commit or close right after this
                // poll says the window was read (else a member leaving here redelivers it)
            }
        }
        readInOrder(max, frontier, out);
        return out;
    }

    /** Opens a window for the lane furthest behind, if one is behind by a catch-up's worth. */
    private boolean openWindow(long frontier) {
        Lane behind = null;
        for (Lane lane : lanes.values()) {
            if (frontier - lane.position >= CATCH_UP_SEQUENCES
                    && (behind == null || lane.position < behind.position)) {
                behind = lane;
            }
        }
        if (behind == null) {
            return false;
        }
        long from = Math.max(behind.position, log.firstSequence());
        List<Segment> segments = log.segments();
        int at = Segment.indexAt(segments, from);
        long end = frontier;
        if (at + 1 < segments.size()) {
            end = Math.min(end, segments.get(at + 1).startSequence());
        }
        windowLane = behind;
        windowEnd = end;
        window = log.scan(behind.range.keys(), SeqRange.between(from, end));
        return true;
    }

    private void finishWindow() {
        Lane lane = windowLane;
        boolean revoked = windowRevoked;
        lane.position = Math.max(lane.position, windowEnd);
        closeWindow();
        if (revoked) {
            lanes.remove(lane.range.id());
            closeScan(); // the next sequence-order scan covers the ranges left
            synchronized (lock) {
                releasing.put(lane.range.id(), lane.position);
            }
            beats.execute(this::beat);
        }
    }

    /** Reads the lanes near the frontier with one sequence-order scan over all of them. */
    private void readInOrder(int max, long frontier, List<LogEntry> out) {
        while (out.size() < max && !lanes.isEmpty()) {
            if (scan == null) {
                long from = Long.MAX_VALUE;
                List<KeyRange> ranges = new ArrayList<>();
                for (Lane lane : lanes.values()) {
                    ranges.add(lane.range.keys());
                    if (lane.position < frontier) {
                        from = Math.min(from, lane.position);
                    }
                }
                if (from == Long.MAX_VALUE) {
                    return; // every range is read up to the frontier
                }
                scanBound = frontier;
                scan = log.scanBySequence(ranges, SeqRange.from(from));
            }
            if (!scan.hasNext()) {
                closeScan();
                for (Lane lane : lanes.values()) {
                    lane.position = Math.max(lane.position, scanBound);
                }
                if (scanBound >= frontier) {
                    return;
                }
                continue;
            }
            LogEntry e = scan.next();
            Lane lane = laneOf(e.key());
            if (lane == null || e.sequence() < lane.position) {
                continue; // a range further on than the scan's start: read already
            }
            out.add(e);
            lane.position = e.sequence() + 1;
        }
        if (scan != null && !scan.hasNext()) {
            // Read to its end: the positions move to the scan's bound now, so a commit right after
            // this poll says "read up to the frontier", not "up to the last entry of each range".
            closeScan();
            for (Lane lane : lanes.values()) {
                lane.position = Math.max(lane.position, scanBound);
            }
        }
    }

    private Lane laneOf(byte[] key) {
        for (Lane lane : lanes.values()) {
            if (lane.range.keys().contains(key)) {
                return lane;
            }
        }
        return null;
    }

    /** Waits until the frontier passes {@code frontier}, the assignment changes, or time is up. */
    private void waitForMore(long frontier, long nanos) throws InterruptedException {
        if (frontierWait == null || frontierWait.isDone()) {
            frontierWait = log.awaitSequence(frontier);
            frontierWait.whenComplete(
                    (v, e) -> {
                        synchronized (lock) {
                            lock.notifyAll();
                        }
                    });
        }
        long until = System.nanoTime() + nanos;
        synchronized (lock) {
            while (!frontierWait.isDone() && latest == null && !rejoined) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    // ---- the heartbeat thread

    /**
     * Heart-beats as soon as the group changes (when the coordinator can tell): registered before
     * each heartbeat, so a change after the coordinator answered is not missed.
     */
    private void watchChanges() {
        if (changeWatch != null && !changeWatch.isDone()) {
            return;
        }
        changeWatch = groups.changed(group);
        changeWatch.thenRun(
                () -> {
                    try {
                        beats.execute(this::beat);
                    } catch (RejectedExecutionException e) {
                        // closed
                    }
                });
    }

    private void beat() {
        watchChanges();
        Map<Integer, Long> sent;
        synchronized (lock) {
            sent = new HashMap<>(releasing);
        }
        try {
            GroupAssignment a;
            boolean fresh = false;
            try {
                a = groups.heartbeat(group, member, sent);
            } catch (GroupFencedException e) {
                LOG.info("{} rejoins group {}: {}", member, group, e.getMessage());
                a = groups.join(group, member, options.sessionTimeout(), options.ranges());
                fresh = true;
            }
            synchronized (lock) {
                releasing.keySet().removeAll(sent.keySet());
                if (fresh) {
                    releasing.clear();
                    rejoined = true;
                    rejoins++;
                }
                latest = a;
                generation = a.generation();
                lock.notifyAll();
            }
        } catch (LogException e) {
            LOG.warn("heartbeat of {} in group {} failed: {}", member, group, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("heartbeat of {} in group {} failed", member, group, e);
        }
    }
}
