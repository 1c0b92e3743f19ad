package io.lsmlog.group;

import io.lsmlog.AppendResult;
import io.lsmlog.GroupAssignment;
import io.lsmlog.GroupDescription;
import io.lsmlog.GroupFencedException;
import io.lsmlog.GroupOptions;
import io.lsmlog.GroupRange;
import io.lsmlog.Groups;
import io.lsmlog.InvalidArgumentException;
import io.lsmlog.KeyRange;
import io.lsmlog.LogRead;
import io.lsmlog.Record;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The reader-group coordinator of one log, in the process that writes it. Every call runs under one
 * lock; a call first drops the members whose session expired. A range moves only through "free":
 * its owner releases it (with its position) or expires, and then the member it is meant for takes
 * it at its next heartbeat — so no two members ever read a range at once, and the new owner starts
 * from what the old one committed.
 */
public final class GroupCoordinator implements Groups {
    private final LogRead log;
    private final java.util.function.Function<List<KeyRange>, long[]> weigher;
    private final GroupStore store;
    private final Clock clock;
    private SortedMap<String, Group> groups; // loaded on first use
    private final Map<String, List<CompletableFuture<Void>>> watchers = new HashMap<>();

    /**
     * @param weigher about how many entries each of some disjoint ranges holds: the balance's
     *     weights
     */
    public GroupCoordinator(
            LogRead log,
            java.util.function.Function<List<KeyRange>, long[]> weigher,
            GroupStore store,
            Clock clock) {
        this.log = log;
        this.weigher = weigher;
        this.store = store;
        this.clock = clock;
    }

    /** A group's state: its stored ranges, and the in-memory membership. */
    private static final long WEIGHTS_MAX_AGE_MILLIS = 30_000;

    private static final class Group {
        final String name;
        final List<GroupRange> ranges; // committed positions
        final String[] owner;
        final String[] target;
        final Map<String, Session> members = new LinkedHashMap<>();
        long generation;
        long[] weights; // entries per range, for balancing; see weights()
        long weightsAt;

        Group(String name, List<GroupRange> ranges) {
            this.name = name;
            this.ranges = new ArrayList<>(ranges);
            this.owner = new String[ranges.size()];
            this.target = new String[ranges.size()];
        }

        void setPosition(int id, long position) {
            GroupRange r = ranges.get(id);
            ranges.set(id, new GroupRange(id, r.keys(), position));
        }
    }

    private static final class Session {
        final long timeoutMillis;
        long lastSeen;

        Session(long timeoutMillis, long now) {
            this.timeoutMillis = timeoutMillis;
            this.lastSeen = now;
        }
    }

    @Override
    public synchronized GroupAssignment join(
            String group, String member, Duration sessionTimeout, int ranges) {
        Groups.validateName("a group name", group);
        Groups.validateName("a member id", member);
        GroupOptions.validateSessionTimeout(sessionTimeout);
        GroupOptions.validateRanges(ranges);
        long now = clock.millis();
        Group g = groupOrNew(group, ranges);
        expire(g, now);
        Session existing = g.members.get(member);
        if (existing != null && existing.timeoutMillis == sessionTimeout.toMillis()) {
            existing.lastSeen = now; // a restarted member taking its identity back
        } else {
            g.members.put(member, new Session(sessionTimeout.toMillis(), now));
            rebalance(g);
        }
        return assignmentOf(g, member);
    }

    @Override
    public synchronized GroupAssignment heartbeat(
            String group, String member, Map<Integer, Long> released) {
        Group g = memberOf(group, member);
        boolean changed = false;
        for (Map.Entry<Integer, Long> e : released.entrySet()) {
            Integer id = e.getKey();
            if (id == null || id < 0 || id >= g.owner.length || !member.equals(g.owner[id])) {
                continue; // released already (a repeated release), or never this member's
            }
            if (e.getValue() == null || e.getValue() >= 0) { // -1: released unread, as committed
                g.setPosition(id, checkPosition(e.getValue()));
            }
            g.owner[id] = null;
            changed = true;
        }
        if (changed) {
            store.write(g.name, g.ranges);
            fireChanged(g.name); // the new owners take them now
        }
        return assignmentOf(g, member);
    }

    @Override
    public synchronized void commit(String group, String member, Map<Integer, Long> positions) {
        Group g = memberOf(group, member);
        apply(g, member, positions);
        store.write(g.name, g.ranges);
    }

    @Override
    public synchronized AppendResult commitWith(
            String group, String member, Map<Integer, Long> positions, List<Record> records) {
        Group g = memberOf(group, member);
        List<GroupRange> before = List.copyOf(g.ranges);
        apply(g, member, positions);
        try {
            return store.writeWith(g.name, g.ranges, records);
        } catch (RuntimeException e) {
            g.ranges.clear();
            g.ranges.addAll(before); // nothing was written: neither are the positions
            throw e;
        }
    }

    @Override
    public synchronized void leave(String group, String member, Map<Integer, Long> positions) {
        Group g = memberOf(group, member);
        apply(g, member, positions);
        for (int i = 0; i < g.owner.length; i++) {
            if (member.equals(g.owner[i])) {
                g.owner[i] = null;
            }
        }
        g.members.remove(member);
        store.write(g.name, g.ranges);
        rebalance(g);
    }

    @Override
    public synchronized CompletableFuture<Void> changed(String group) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        watchers.computeIfAbsent(group, k -> new ArrayList<>()).add(f);
        return f;
    }

    private void fireChanged(String group) {
        List<CompletableFuture<Void>> waiting = watchers.remove(group);
        if (waiting != null) {
            waiting.forEach(f -> f.complete(null));
        }
    }

    @Override
    public synchronized List<String> list() {
        return List.copyOf(groups().keySet());
    }

    @Override
    public synchronized Optional<GroupDescription> describe(String group) {
        Group g = groups().get(group);
        if (g == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        expire(g, now);
        List<GroupDescription.Range> ranges = new ArrayList<>();
        for (GroupRange r : g.ranges) {
            String owner = g.owner[r.id()];
            String next = g.target[r.id()];
            ranges.add(
                    new GroupDescription.Range(
                            r.id(),
                            r.keys(),
                            r.position(),
                            owner,
                            next == null || next.equals(owner) ? null : next));
        }
        List<GroupDescription.Member> members = new ArrayList<>();
        g.members.forEach(
                (id, s) ->
                        members.add(
                                new GroupDescription.Member(
                                        id, now - s.lastSeen, s.timeoutMillis)));
        return Optional.of(new GroupDescription(g.name, g.generation, ranges, members));
    }

    @Override
    public synchronized GroupDescription create(String group, int ranges) {
        Groups.validateName("a group name", group);
        GroupOptions.validateRanges(ranges);
        groupOrNew(group, ranges);
        return describe(group).orElseThrow();
    }

    @Override
    public synchronized void commitIdle(String group, Map<Integer, Long> positions) {
        Group g = idle(group, "commit to");
        Map<Integer, Long> checked = new LinkedHashMap<>();
        for (Map.Entry<Integer, Long> e : positions.entrySet()) {
            Integer id = e.getKey();
            if (id == null || id < 0 || id >= g.ranges.size()) {
                throw new InvalidArgumentException(
                        "reader group '" + group + "' has no range " + id);
            }
            checked.put(id, checkPosition(e.getValue()));
        }
        checked.forEach(g::setPosition);
        store.write(g.name, g.ranges);
    }

    @Override
    public synchronized void reset(String group, long sequence) {
        Group g = idle(group, "reset");
        long to = Math.max(log.firstSequence(), Math.min(sequence, log.nextSequence()));
        for (int i = 0; i < g.ranges.size(); i++) {
            g.setPosition(i, to);
        }
        store.write(g.name, g.ranges);
    }

    @Override
    public synchronized boolean delete(String group) {
        if (!groups().containsKey(group)) {
            return false;
        }
        idle(group, "delete");
        store.write(group, null);
        groups.remove(group);
        return true;
    }

    // ---- state

    private Group groupOrNew(String group, int ranges) {
        Group g = groups().get(group);
        if (g == null) {
            List<GroupRange> planned = new ArrayList<>();
            long start = log.firstSequence();
            for (KeyRange keys : RangePlanner.plan(log, ranges)) {
                planned.add(new GroupRange(planned.size(), keys, start));
            }
            store.write(group, planned);
            g = new Group(group, planned);
            groups.put(group, g);
        }
        return g;
    }

    private SortedMap<String, Group> groups() {
        if (groups == null) {
            groups = new TreeMap<>();
            store.load().forEach((name, ranges) -> groups.put(name, new Group(name, ranges)));
        }
        return groups;
    }

    private Group memberOf(String group, String member) {
        Group g = groups().get(group);
        if (g == null) {
            throw new GroupFencedException("there is no reader group '" + group + "'");
        }
        long now = clock.millis();
        expire(g, now);
        Session s = g.members.get(member);
        if (s == null) {
            throw new GroupFencedException(
                    "member '"
                            + member
                            + "' is not in reader group '"
                            + group
                            + "' (its session expired, or the log's writer restarted): rejoin");
        }
        s.lastSeen = now;
        return g;
    }

    private Group idle(String group, String what) {
        Group g = groups().get(group);
        if (g == null) {
            throw new InvalidArgumentException("there is no reader group '" + group + "'");
        }
        expire(g, clock.millis());
        if (!g.members.isEmpty()) {
            throw new InvalidArgumentException(
                    "cannot "
                            + what
                            + " reader group '"
                            + group
                            + "' while it has members ("
                            + String.join(", ", g.members.keySet())
                            + "): stop them first");
        }
        return g;
    }

    private void apply(Group g, String member, Map<Integer, Long> positions) {
        Map<Integer, Long> checked = new LinkedHashMap<>();
        for (Map.Entry<Integer, Long> e : positions.entrySet()) {
            checked.put(checkOwned(g, member, e.getKey()), checkPosition(e.getValue()));
        }
        checked.forEach(g::setPosition); // all or nothing
    }

    private int checkOwned(Group g, String member, Integer id) {
        if (id == null || id < 0 || id >= g.ranges.size()) {
            throw new InvalidArgumentException("reader group '" + g.name + "' has no range " + id);
        }
        if (!member.equals(g.owner[id])) {
            throw new GroupFencedException(
                    "member '"
                            + member
                            + "' does not own range "
                            + id
                            + " of reader group '"
                            + g.name
                            + "'"
                            + (g.owner[id] == null ? "" : " ('" + g.owner[id] + "' does)"));
        }
        return id;
    }

    private long checkPosition(Long position) {
        long frontier = log.nextSequence();
        if (position == null || position < 0 || position > frontier) {
            throw new InvalidArgumentException(
                    "a group position must be between 0 and the frontier "
                            + frontier
                            + ", got "
                            + position);
        }
        return position;
    }

    private void expire(Group g, long now) {
        List<String> gone = new ArrayList<>();
        g.members.forEach(
                (id, s) -> {
                    if (now - s.lastSeen > s.timeoutMillis) {
                        gone.add(id);
                    }
                });
        if (gone.isEmpty()) {
            return;
        }
        for (String id : gone) {
            g.members.remove(id);
            for (int i = 0; i < g.owner.length; i++) {
                if (id.equals(g.owner[i])) {
                    g.owner[i] = null; // its uncommitted progress is redelivered
                }
            }
        }
        rebalance(g);
    }

    private void rebalance(Group g) {
        g.generation++;
        fireChanged(g.name);
        long[] weights = weights(g);
        String[] current = new String[weights.length];
        for (GroupRange r : g.ranges) {
            current[r.id()] = g.owner[r.id()] != null ? g.owner[r.id()] : g.target[r.id()];
        }
        String[] target = Assigner.assign(weights, current, List.copyOf(g.members.keySet()));
        System.arraycopy(target, 0, g.target, 0, target.length);
    }

    /**
     * Entries per range, the balance's weights: estimated from the key index, then reused for
     * {@link #WEIGHTS_MAX_AGE_MILLIS} (members joining one after another rebalance each time, and
     * weights need not be exact).
     */
    private long[] weights(Group g) {
        long now = clock.millis();
        if (g.weights == null || now - g.weightsAt > WEIGHTS_MAX_AGE_MILLIS) {
            List<KeyRange> keys = new ArrayList<>();
            for (GroupRange r : g.ranges) {
                keys.add(r.keys());
            }
            g.weights = weigher.apply(keys);
            g.weightsAt = now;
        }
        return g.weights;
    }

    /** Grants the member the free ranges meant for it; tells it what it owns and must give up. */
    private static GroupAssignment assignmentOf(Group g, String member) {
        List<GroupRange> owned = new ArrayList<>();
        List<Integer> revoke = new ArrayList<>();
        for (GroupRange r : g.ranges) {
            int i = r.id();
            if (g.owner[i] == null && member.equals(g.target[i])) {
                g.owner[i] = member;
            }
            if (member.equals(g.owner[i])) {
                if (member.equals(g.target[i])) {
                    owned.add(r);
                } else {
                    revoke.add(i);
                }
            }
        }
        return new GroupAssignment(g.generation, owned, revoke);
    }
}
