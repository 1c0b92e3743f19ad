package io.lsmlog.server;

import io.lsmlog.LogIterator;
import io.lsmlog.client.wire.Packed;

/** Cuts a scan into messages: bounded in entries and bytes, whatever the entries' sizes. */
final class Batches {
    static final int MAX_ENTRIES = 4_096;
    static final long MAX_BYTES = 1 << 20;

    private Batches() {}

    /** The next batch of the iterator, packed, or null when it is exhausted. */
    static Packed.EntryWriter next(LogIterator it) {
        if (!it.hasNext()) {
            return null;
        }
        Packed.EntryWriter w = new Packed.EntryWriter();
        while (w.count() < MAX_ENTRIES && w.bytes() < MAX_BYTES && it.hasNext()) {
            w.add(it.next());
        }
        return w;
    }
}
