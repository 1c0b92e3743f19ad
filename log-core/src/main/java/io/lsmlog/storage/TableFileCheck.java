package io.lsmlog.storage;

import io.lsmlog.LogCorruptedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Checks, before a reader opens a log, that every table file its MANIFEST names is there whole.
 *
 * <p>A secondary instance tolerates missing table files by design (the primary deletes files after
 * compactions while secondaries lag behind), so on a log with a deleted or truncated table file it
 * silently shows a column family as it was before that file: fewer entries, no error. A read-only
 * open checks every file's presence and size and fails with {@code Corruption}; it does not replay
 * the write-ahead log, so it is cheap (milliseconds). The writer's own open makes the same checks.
 */
final class TableFileCheck {
    /** A live writer may delete a compacted file between our MANIFEST read and its open. */
    private static final int ATTEMPTS = 3;

    private TableFileCheck() {}

    static void verify(Path dir, List<byte[]> families) {
        RocksDBException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                probe(dir, families);
                return;
            } catch (RocksDBException e) {
                Status s = e.getStatus();
                boolean damage =
                        s != null
                                && (s.getCode() == Status.Code.Corruption
                                        || s.getCode() == Status.Code.IOError);
                if (!damage) {
                    throw Store.translate("check the table files of " + dir, dir, e);
                }
                last = e;
                pause();
            }
        }
        throw new LogCorruptedException(
                "log in "
                        + dir
                        + " is damaged: "
                        + last.getMessage()
                        + "; restore the directory from a checkpoint or backup",
                last);
    }

    private static void probe(Path dir, List<byte[]> families) throws RocksDBException {
        List<ColumnFamilyDescriptor> cfs = new ArrayList<>();
        for (byte[] f : families) {
            cfs.add(new ColumnFamilyDescriptor(f));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions().setMaxOpenFiles(-1);
                RocksDB db = RocksDB.openReadOnly(o, dir.toString(), cfs, handles)) {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
