package io.lsmlog.server;

import io.lsmlog.KeyRange;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.LogRead;
import io.lsmlog.Segment;
import io.lsmlog.SeqRange;
import io.lsmlog.client.proto.ScanRequest;
import io.lsmlog.client.wire.Wire;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A scan request as a log iterator, resumed after an entry when the client asks: the rest of the
 * scan it broke off, in the same order, no entry twice.
 */
final class ScanRequests {
    private ScanRequests() {}

    static LogIterator open(LogRead log, ScanRequest r, long frontier) {
        SeqRange range = Wire.range(r.getRange()).upTo(frontier);
        return switch (r.getOrder()) {
            case KEY -> log.scan(r.getKey().toByteArray(), after(range, r));
            case SEQUENCE -> log.scanBySequence(Wire.keys(r.getKeys()), after(range, r));
            case KEY_RANGE ->
                    r.getResume()
                            ? resumeKeyRange(log, Wire.keys(r.getKeys()), range, r)
                            : log.scan(Wire.keys(r.getKeys()), range);
            case UNRECOGNIZED ->
                    throw new io.lsmlog.InvalidArgumentException(
                            "unknown scan order " + r.getOrderValue());
        };
    }

    /** The range after the resume point, for the orders that go by sequence (per key or all). */
    private static SeqRange after(SeqRange range, ScanRequest r) {
        if (!r.getResume()) {
            return range;
        }
        long from = Math.max(range.from(), r.getResumeSequence() + 1);
        return new SeqRange(Math.min(from, range.to()), range.to(), range.failsIfDropped());
    }

    /**
     * A key-range scan goes segment by segment and, within a segment, key by key. After entry (K,
     * S) of segment G the rest is: K's entries of G after S, then G's keys after K, then every
     * segment after G.
     */
    private static LogIterator resumeKeyRange(
            LogRead log, KeyRange keys, SeqRange range, ScanRequest r) {
        byte[] k = r.getResumeKey().toByteArray();
        long s = r.getResumeSequence();
        List<Segment> segments = log.segments();
        int gi = Segment.indexAt(segments, s);
        if (gi < 0) {
            // The segment is gone (retention): what is left starts after it.
            return log.scan(keys, after(range, r));
        }
        Segment g = segments.get(gi);
        long gEnd =
                gi + 1 < segments.size() ? segments.get(gi + 1).startSequence() : Long.MAX_VALUE;
        long to = Math.min(gEnd, range.to());
        SeqRange restOfKey = new SeqRange(Math.min(s + 1, to), to, range.failsIfDropped());
        long gFrom = Math.min(Math.max(range.from(), g.startSequence()), to);
        byte[] nextKey = Arrays.copyOf(k, k.length + 1);
        KeyRange laterKeys = new KeyRange(nextKey, keys.end());
        SeqRange restOfSegment = new SeqRange(gFrom, to, false);
        SeqRange laterSegments =
                new SeqRange(Math.min(Math.max(gEnd, range.from()), range.to()), range.to(), false);
        return concat(
                log.scan(k, restOfKey),
                laterKeys.isEmpty() ? null : log.scan(laterKeys, restOfSegment),
                laterSegments.isEmpty() ? null : log.scan(keys, laterSegments));
    }

    /** The iterators one after the other (nulls left out); each is closed when done. */
    static LogIterator concat(LogIterator... parts) {
        Iterator<LogIterator> all =
                Arrays.stream(parts).filter(java.util.Objects::nonNull).iterator();
        return new LogIterator() {
            private LogIterator current = all.hasNext() ? all.next() : null;

            @Override
            public boolean hasNext() {
                while (current != null && !current.hasNext()) {
                    current.close();
                    current = all.hasNext() ? all.next() : null;
                }
                return current != null;
            }

            @Override
            public LogEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }

            @Override
            public void close() {
                if (current != null) {
                    current.close();
                }
                all.forEachRemaining(LogIterator::close);
                current = null;
            }
        };
    }
}
