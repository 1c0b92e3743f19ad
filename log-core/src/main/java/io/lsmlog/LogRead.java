package io.lsmlog;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reading a log: implemented by the writer ({@link Log}) and by read-only views ({@link
 * LogReader}). Every read sees a consistent state: all entries below {@link #nextSequence()} at the
 * moment it starts, none above, and never part of an append.
 */
public interface LogRead extends AutoCloseable {

    /** One key's entries in the range, in sequence order. */
    LogIterator scan(byte[] key, SeqRange range);

    default LogIterator scan(String key, SeqRange range) {
        return scan(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), range);
    }

    /**
     * Entries of every key in {@code keys} within the sequence range: segment by segment, and
     * within a segment key by key; entries of one key always come in sequence order. The cheapest
     * way to read large ranges.
     */
    LogIterator scan(KeyRange keys, SeqRange range);

    /**
     * Entries of every key in {@code keys} within the sequence range, in global sequence order.
     * Driven by the write-order index, it costs O(entries in the sequence range), whatever the
     * number of keys or the size of the segment: the way to read what is new.
     */
    LogIterator scanBySequence(KeyRange keys, SeqRange range);

    /**
     * Entries of several disjoint key ranges within the sequence range, in global sequence order:
     * one pass over the write order for all of them where the log can (a reader-group member reads
     * its ranges so); elsewhere the ranges' scans merged.
     *
     * @throws InvalidArgumentException if the ranges overlap or there are none
     */
    default LogIterator scanBySequence(List<KeyRange> ranges, SeqRange range) {
        List<KeyRange> sorted = sortedDisjoint(ranges);
        List<LogIterator> scans = new java.util.ArrayList<>();
        try {
            for (KeyRange r : sorted) {
                scans.add(scanBySequence(r, range));
            }
        } catch (RuntimeException e) {
            scans.forEach(LogIterator::close);
            throw e;
        }
        return new MergedSequenceScan(scans);
    }

    /** The ranges sorted by start; refused if they overlap or are none. */
    static List<KeyRange> sortedDisjoint(List<KeyRange> ranges) {
        if (ranges.isEmpty()) {
            throw new InvalidArgumentException("a scan of several key ranges needs at least one");
        }
        List<KeyRange> sorted = new java.util.ArrayList<>(ranges);
        sorted.sort(KeyRange.BY_START);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).overlaps(sorted.get(i))) {
                throw new InvalidArgumentException(
                        "key ranges to scan together must be disjoint: "
                                + sorted.get(i - 1)
                                + " overlaps "
                                + sorted.get(i));
            }
        }
        return sorted;
    }

    /** The newest entry of a key, if it has any: one index seek and one reverse seek. */
    java.util.Optional<LogEntry> latest(byte[] key);

    /**
     * The newest entry of a key with a sequence below {@code sequence}: the entry an entry at
     * {@code sequence} follows (an upsert table's previous value).
     */
    java.util.Optional<LogEntry> latestBefore(byte[] key, long sequence);

    /** The live segments, oldest first. */
    List<Segment> segments();

    /** Distinct keys in the range that have entries, in unsigned byte order. */
    KeyIterator keys(KeyRange range);

    /** Distinct keys in the range that have entries in any of the given segments. */
    KeyIterator keys(List<Segment> segments, KeyRange range);

    /** Exact number of entries of a key in a sequence range. */
    long count(byte[] key, SeqRange range);

    /** Exact number of entries of the keys in a range within a sequence range. */
    long count(KeyRange keys, SeqRange range);

    /**
     * Exact entry counts of several disjoint key ranges at once, range {@code i} counting sequences
     * in {@code [from[i], to)}: what a reader group's lag is. Where the log allows, one pass over
     * the write order, costing O(entries between the lowest {@code from} and {@code to}) whatever
     * the number of keys; this default counts range by range.
     *
     * @throws InvalidArgumentException if the lists differ in length or the ranges overlap
     */
    default long[] countRanges(List<KeyRange> ranges, List<Long> from, long to) {
        checkCountRanges(ranges, from);
        long[] out = new long[ranges.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] =
                    from.get(i) >= to ? 0 : count(ranges.get(i), SeqRange.between(from.get(i), to));
        }
        return out;
    }

    /** The arguments {@link #countRanges} accepts. */
    static void checkCountRanges(List<KeyRange> ranges, List<Long> from) {
        if (ranges.size() != from.size()) {
            throw new InvalidArgumentException(
                    "countRanges takes one start per range: "
                            + ranges.size()
                            + " ranges, "
                            + from.size()
                            + " starts");
        }
        for (int i = 0; i < ranges.size(); i++) {
            for (int j = i + 1; j < ranges.size(); j++) {
                if (ranges.get(i).overlaps(ranges.get(j))) {
                    throw new InvalidArgumentException(
                            "countRanges takes disjoint ranges: "
                                    + ranges.get(i)
                                    + " overlaps "
                                    + ranges.get(j));
                }
            }
        }
    }

    /**
     * The visible frontier: every entry from {@link #firstSequence()} up to it is readable, none at
     * or above it exists.
     */
    long nextSequence();

    /**
     * The first sequence retention kept (0 until a segment is dropped; {@link #nextSequence()} if
     * every segment was): a scan from below it starts here, or throws {@link
     * SequenceDroppedException} when its range asked to with {@link SeqRange#failIfDropped()}.
     */
    long firstSequence();

    /**
     * Completes with the new frontier once {@code nextSequence() > sequence}: right away if it
     * already is, else when an append (in the writer's process) or a catch-up (in a reader) makes
     * it so. Completes exceptionally with {@link LogClosedException} when the log closes. Callbacks
     * run on the thread that advanced the frontier: keep them short or use the async variants.
     */
    CompletableFuture<Long> awaitSequence(long sequence);

    /** Waits until {@code nextSequence() > sequence}; false when the timeout passed first. */
    boolean awaitSequence(long sequence, Duration timeout) throws InterruptedException;

    /**
     * The first sequence appended at or after {@code timestamp} (epoch ms, append time), or the
     * frontier if none was.
     */
    long sequenceAt(long timestamp);

    /**
     * Makes this view current now and returns the frontier: a {@link LogReader} catches up with its
     * writer; the writer itself, and a client of a log server, are always current.
     */
    default long refresh() {
        return nextSequence();
    }

    /** Approximate bytes a live segment's entries take (0 for a dropped one). */
    long approximateBytes(Segment segment);

    /** Total bytes of the log's files on disk (live data, WAL and metadata). */
    long diskBytes();

    @Override
    void close();
}
