package io.lsmlog.read;

import io.lsmlog.storage.KeyCodec;
import io.lsmlog.storage.RowIterator;

/** Positioning on the rows of the {@code entries} family, where a row may hold a run of entries. */
final class RowSeek {
    private RowSeek() {}

    /**
     * Positions {@code it} on the first row of {@code key} in the segment that may hold an entry at
     * or after {@code from}: a run starting below {@code from} can still hold it, so this is the
     * last row starting at or below {@code from} when there is one, else the first row after it.
     * Lands elsewhere (or nowhere) when the segment has no such row of the key.
     */
    static void seek(
            RowIterator it, int segment, byte[] key, byte[] escaped, long from, long segmentStart) {
        byte[] target = KeyCodec.entryKey(segment, key, from);
        if (from <= segmentStart) {
            it.seek(target); // no row of the segment starts below its start
            return;
        }
        it.seekForPrev(target);
        if (!it.isValid()) {
            it.seek(target);
            return;
        }
        byte[] k = it.key();
        if (KeyCodec.entrySegment(k) != segment || !KeyCodec.entryHasKey(k, escaped)) {
            it.next();
        }
    }
}
