package io.lsmlog.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The chunks of a sealed segment in (key, first sequence) order: the {@code sealed} family keeps
 * them window-major ({@link KeyCodec#chunkKey}), so this merges one iterator per window by the part
 * after the window, and hands out keys in the {@code entries} layout. A key's chunks of later
 * windows have later first sequences, so that part alone orders the merge.
 */
final class ChunkRows implements RowIterator {
    private final int segment;
    private final List<Window> windows = new ArrayList<>();
    private final PriorityQueue<Window> heap =
            new PriorityQueue<>(
                    (a, b) ->
                            Arrays.compareUnsigned(
                                    a.key,
                                    KeyCodec.CHUNK_PREFIX,
                                    a.key.length,
                                    b.key,
                                    KeyCodec.CHUNK_PREFIX,
                                    b.key.length));
    private Window current;

    private static final class Window {
        final int window;
        final RocksIterator it;
        byte[] key; // chunk key under the iterator, or null when past the window

        Window(int window, RocksIterator it) {
            this.window = window;
            this.it = it;
        }
    }

    /** Merges the windows {@code 0..count-1} of the segment. */
    ChunkRows(RocksDB db, ColumnFamilyHandle sealed, int segment, int count) {
        this.segment = segment;
        for (int w = 0; w < count; w++) {
            try {
                windows.add(new Window(w, db.newIterator(sealed)));
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    private boolean load(Window w) {
        if (w.it.isValid()) {
            byte[] k = w.it.key();
            if (KeyCodec.chunkSegment(k) == segment && KeyCodec.chunkWindow(k) == w.window) {
                w.key = k;
                return true;
            }
        }
        w.key = null;
        return false;
    }

    private void rebuild() {
        heap.clear();
        for (Window w : windows) {
            if (load(w)) {
                heap.add(w);
            }
        }
        current = heap.peek();
    }

    @Override
    public void seek(byte[] target) {
        for (Window w : windows) {
            w.it.seek(KeyCodec.chunkKeyOf(target, w.window));
        }
        rebuild();
    }

    @Override
    public void seekForPrev(byte[] target) {
        byte[] best = null;
        for (Window w : windows) {
            w.it.seekForPrev(KeyCodec.chunkKeyOf(target, w.window));
            if (load(w)
                    && (best == null
                            || Arrays.compareUnsigned(
                                            w.key,
                                            KeyCodec.CHUNK_PREFIX,
                                            w.key.length,
                                            best,
                                            KeyCodec.CHUNK_PREFIX,
                                            best.length)
                                    > 0)) {
                best = w.key;
            }
        }
        if (best == null) {
            // Nothing at or before the target: positioned on nothing, as RocksDB's iterator is.
            heap.clear();
            current = null;
            return;
        }
        // Go on forward from that row.
        seek(KeyCodec.entryKeyOfChunk(best));
    }

    @Override
    public boolean isValid() {
        return current != null;
    }

    @Override
    public void next() {
        Window w = heap.poll();
        w.it.next();
        if (load(w)) {
            heap.add(w);
        }
        current = heap.peek();
    }

    @Override
    public byte[] key() {
        return KeyCodec.entryKeyOfChunk(current.key);
    }

    @Override
    public byte[] value() {
        return current.it.value();
    }

    @Override
    public void status() throws RocksDBException {
        for (Window w : windows) {
            w.it.status();
        }
    }

    @Override
    public void close() {
        for (Window w : windows) {
            w.it.close();
        }
    }
}
