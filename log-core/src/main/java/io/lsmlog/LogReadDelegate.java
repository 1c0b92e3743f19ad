package io.lsmlog;

import io.lsmlog.read.FrontierWaiters;
import io.lsmlog.read.Reads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The read side shared by {@link Log} and {@link LogReader}: everything goes to {@link Reads}. */
abstract class LogReadDelegate implements LogRead {
    abstract Reads reads();

    abstract FrontierWaiters waiters();

    @Override
    public LogIterator scan(byte[] key, SeqRange range) {
        return reads().scan(key, range);
    }

    @Override
    public LogIterator scan(KeyRange keys, SeqRange range) {
        return reads().scan(keys, range);
    }

    @Override
    public LogIterator scanBySequence(KeyRange keys, SeqRange range) {
        return reads().scanBySequence(keys, range);
    }

    @Override
    public LogIterator scanBySequence(java.util.List<KeyRange> ranges, SeqRange range) {
        return reads().scanBySequence(LogRead.sortedDisjoint(ranges), range);
    }

    @Override
    public java.util.Optional<LogEntry> latest(byte[] key) {
        return reads().latest(key);
    }

    @Override
    public java.util.Optional<LogEntry> latestBefore(byte[] key, long sequence) {
        return reads().latestBefore(key, sequence);
    }

    @Override
    public long firstSequence() {
        return reads().firstSequence();
    }

    @Override
    public List<Segment> segments() {
        return reads().view().segments();
    }

    @Override
    public KeyIterator keys(KeyRange range) {
        return reads().keys(range);
    }

    @Override
    public KeyIterator keys(List<Segment> segments, KeyRange range) {
        return reads().keys(segments, range);
    }

    @Override
    public long count(byte[] key, SeqRange range) {
        return reads().count(key, range);
    }

    @Override
    public long count(KeyRange keys, SeqRange range) {
        return reads().count(keys, range);
    }

    @Override
    public long[] countRanges(java.util.List<KeyRange> ranges, java.util.List<Long> from, long to) {
        LogRead.checkCountRanges(ranges, from);
        return reads().countRanges(ranges, from, to);
    }

    @Override
    public long nextSequence() {
        return reads().view().nextSequence();
    }

    @Override
    public CompletableFuture<Long> awaitSequence(long sequence) {
        return waiters().await(sequence);
    }

    @Override
    public boolean awaitSequence(long sequence, Duration timeout) throws InterruptedException {
        return waiters().await(sequence, timeout);
    }

    @Override
    public long sequenceAt(long timestamp) {
        return reads().sequenceAt(timestamp);
    }

    @Override
    public long approximateBytes(Segment segment) {
        return reads().approximateBytes(segment);
    }

    @Override
    public long diskBytes() {
        return reads().diskBytes();
    }
}
