package io.lsmlog;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Several sequence-order scans merged into one sequence order: what {@link
 * LogRead#scanBySequence(List, SeqRange)} falls back to where a log cannot read several ranges in
 * one pass (a remote log).
 */
final class MergedSequenceScan implements LogIterator {
    private record Head(LogEntry entry, LogIterator from) {}

    private final List<LogIterator> scans;
    private final PriorityQueue<Head> heads =
            new PriorityQueue<>((a, b) -> Long.compare(a.entry.sequence(), b.entry.sequence()));

    MergedSequenceScan(List<LogIterator> scans) {
        this.scans = List.copyOf(scans);
        for (LogIterator s : this.scans) {
            if (s.hasNext()) {
                heads.add(new Head(s.next(), s));
            }
        }
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public LogEntry next() {
        Head h = heads.poll();
        if (h == null) {
            throw new NoSuchElementException();
        }
        if (h.from.hasNext()) {
            heads.add(new Head(h.from.next(), h.from));
        }
        return h.entry;
    }

    @Override
    public void close() {
        scans.forEach(LogIterator::close);
    }
}
