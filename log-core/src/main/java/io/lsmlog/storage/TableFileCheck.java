package io.lsmlog.storage;

import io.lsmlog.LogCorruptedException;
import io.lsmlog.LogStorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;

/**
 * Checks, before a reader opens a log, that every table file its MANIFEST names is there whole.
 *
 * <p>A secondary instance tolerates missing table files by design (the primary deletes files after
 * compactions while secondaries lag behind), so on a log with a deleted or truncated table file it
 * silently shows a column family as it was before that file: fewer entries, no error. A read-only
 * open checks every file's presence and size and fails with {@code Corruption}. Pointed at an empty
 * WAL directory it replays no write-ahead log and, with files opened lazily, reads no table file
 * either: it costs milliseconds and no memory. The writer's own open makes the same checks.
 */
final class TableFileCheck {
    /** A live writer may delete a compacted file between our MANIFEST read and its open. */
    private static final int ATTEMPTS = 3;

    private TableFileCheck() {}

    static void verify(Path dir, List<byte[]> families, Path scratch) {
        RocksDBException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                probe(dir, families, scratch);
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

    private static void probe(Path dir, List<byte[]> families, Path scratch)
            throws RocksDBException {
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        // The probe checks table files only. Without WAL files to read it cannot mistake a WAL
        // the writer is appending to (or one it left behind) for damage.
        Path noWal = scratch.resolve("probe-wal");
        try {
            Files.createDirectories(noWal);
        } catch (IOException e) {
            throw new LogStorageException("cannot create " + noWal, e);
        }
        try (ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
                DBOptions o =
                        new DBOptions()
                                .setWalDir(noWal.toString())
                                // its info LOG goes there too, not over the writer's
                                .setDbLogDir(noWal.toString())
                                .setWalRecoveryMode(WALRecoveryMode.SkipAnyCorruptedRecords);
                RocksDB db =
                        RocksDB.openReadOnly(
                                o, dir.toString(), descriptors(families, cfOptions), handles)) {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    /** Descriptors sharing one options object (a descriptor made without one allocates its own). */
    private static List<ColumnFamilyDescriptor> descriptors(
            List<byte[]> families, ColumnFamilyOptions options) {
        List<ColumnFamilyDescriptor> cfs = new ArrayList<>();
        for (byte[] f : families) {
            cfs.add(new ColumnFamilyDescriptor(f, options));
        }
        return cfs;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
