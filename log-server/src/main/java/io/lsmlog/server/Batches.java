package io.lsmlog.server;

import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.client.proto.EntryBatch;
import io.lsmlog.client.wire.Wire;

/** Cuts a scan into messages: bounded in entries and bytes, whatever the entries' sizes. */
final class Batches {
    static final int MAX_ENTRIES = 4_096;
    static final long MAX_BYTES = 1 << 20;

    private Batches() {}

    /** The next batch of the iterator, or null when it is exhausted. */
    static EntryBatch.Builder next(LogIterator it) {
        if (!it.hasNext()) {
            return null;
        }
        EntryBatch.Builder b = EntryBatch.newBuilder();
        byte[] previousKey = null;
        long bytes = 0;
        int n = 0;
        while (n < MAX_ENTRIES && bytes < MAX_BYTES && it.hasNext()) {
            LogEntry e = it.next();
            bytes += Wire.addEntry(b, e, previousKey);
            previousKey = e.key();
            n++;
        }
        return b;
    }
}
