package io.lsmlog.staging;

import io.lsmlog.LogStorageException;
import io.lsmlog.LogWrite;
import io.lsmlog.Marker;
import io.lsmlog.Record;
import io.lsmlog.StageId;
import io.lsmlog.StageWriter;
import io.lsmlog.Staged;
import io.lsmlog.Staging;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Staging} in files next to the log: one sequential, checksummed {@link StagingFile} per
 * stage in {@code <log>/staging/}, fsynced once at seal, appended in chunks with the subtask's
 * marker at commit. Not written through the LSM, so a staged record costs one sequential write.
 */
public final class FileStaging implements Staging {
    private static final Logger LOG = LoggerFactory.getLogger(FileStaging.class);
    static final int CHUNK_RECORDS = 10_000;
    static final long CHUNK_BYTES = 16L << 20;

    private final Path dir;
    private final LogWrite log;

    /** Stages of the log in {@code logDirectory}, committed into {@code log}. */
    public FileStaging(Path logDirectory, LogWrite log) {
        this.dir = StagingFile.dir(logDirectory);
        this.log = log;
    }

    /** Where the stages of the log in {@code logDirectory} live (one file per stage). */
    public static Path directory(Path logDirectory) {
        return StagingFile.dir(logDirectory);
    }

    private Path file(StageId id) {
        return dir.resolve(StagingFile.name(id.sinkId(), id.subtask(), id.checkpointId()));
    }

    @Override
    public StageWriter open(StageId id) {
        Path f = file(id);
        StagingFile.Writer w;
        try {
            w = new StagingFile.Writer(f);
        } catch (IOException e) {
            throw new LogStorageException("cannot create the stage " + f, e);
        }
        return new StageWriter() {
            @Override
            public void write(Record r) {
                try {
                    w.write(r);
                } catch (IOException e) {
                    throw new LogStorageException("cannot write the stage " + f, e);
                }
            }

            @Override
            public long records() {
                return w.records;
            }

            @Override
            public Staged seal() {
                try {
                    w.commitDurably();
                } catch (IOException e) {
                    throw new LogStorageException("cannot make the stage " + f + " durable", e);
                }
                return new Staged(id, w.records, w.bytes);
            }

            @Override
            public void close() {
                try {
                    w.close();
                } catch (IOException e) {
                    LOG.warn("closing the stage {} failed", f, e);
                }
            }
        };
    }

    @Override
    public boolean commit(Staged staged) {
        StageId id = staged.id();
        Path f = file(id);
        Optional<Marker> m = log.marker(id.markerId());
        long done = 0;
        if (m.isPresent()) {
            Marker marker = m.get();
            if (marker.epoch() > id.checkpointId()
                    || (marker.epoch() == id.checkpointId()
                            && marker.position() >= staged.records())) {
                delete(f);
                return true;
            }
            if (marker.epoch() == id.checkpointId()) {
                done = marker.position(); // an interrupted commit: resume after its last chunk
            }
        }
        if (!Files.exists(f)) {
            throw new LogStorageException(
                    "the stage "
                            + f
                            + " of checkpoint "
                            + id.checkpointId()
                            + " ("
                            + staged.records()
                            + " records) is missing and was not committed: its records are lost",
                    null);
        }
        try (StagingFile.Reader in = new StagingFile.Reader(f)) {
            in.skip(done);
            while (done < staged.records()) {
                List<Record> chunk = in.next(CHUNK_RECORDS, CHUNK_BYTES);
                if (chunk.isEmpty()) {
                    throw new LogStorageException(
                            "the stage "
                                    + f
                                    + " ends at record "
                                    + done
                                    + " of "
                                    + staged.records(),
                            null);
                }
                done += chunk.size();
                log.appendWithMarker(chunk, id.markerId(), new Marker(id.checkpointId(), done));
            }
        } catch (IOException e) {
            throw new LogStorageException("cannot read the stage " + f + ": " + e.getMessage(), e);
        }
        delete(f);
        LOG.debug("committed {} records of {}", staged.records(), id);
        return false;
    }

    @Override
    public int abortStale(String sinkId, Set<Integer> subtasks, long restoredCheckpointId) {
        int removed = 0;
        for (Path f : files()) {
            StagingFile.Name n = StagingFile.parse(f.getFileName().toString());
            if (!n.sinkId().equals(sinkId) || !subtasks.contains(n.subtask())) {
                continue;
            }
            StageId id = new StageId(n.sinkId(), n.subtask(), n.checkpointId());
            Optional<Marker> m = log.marker(id.markerId());
            boolean committed = m.isPresent() && m.get().epoch() > n.checkpointId();
            if (n.checkpointId() > restoredCheckpointId || committed) {
                LOG.info(
                        "removing stale stage {} (restored checkpoint {})",
                        f,
                        restoredCheckpointId);
                delete(f);
                removed++;
            }
        }
        return removed;
    }

    @Override
    public List<Staged> list() {
        List<Staged> out = new ArrayList<>();
        for (Path f : files()) {
            StagingFile.Name n = StagingFile.parse(f.getFileName().toString());
            long records = 0;
            long bytes = 0;
            try (StagingFile.Reader in = new StagingFile.Reader(f)) {
                for (List<Record> chunk;
                        !(chunk = in.next(CHUNK_RECORDS, CHUNK_BYTES)).isEmpty(); ) {
                    records += chunk.size();
                    for (Record r : chunk) {
                        bytes += r.key().length + r.value().length;
                    }
                }
            } catch (IOException e) {
                // a stage being written or cut by a crash: list what could be read
                LOG.debug("stage {} read up to record {}: {}", f, records, e.getMessage());
            }
            out.add(
                    new Staged(
                            new StageId(n.sinkId(), n.subtask(), n.checkpointId()),
                            records,
                            bytes));
        }
        out.sort(
                Comparator.comparing((Staged s) -> s.id().sinkId())
                        .thenComparingInt(s -> s.id().subtask())
                        .thenComparingLong(s -> s.id().checkpointId()));
        return out;
    }

    @Override
    public boolean abort(StageId id) {
        Path f = file(id);
        if (!Files.exists(f)) {
            return false;
        }
        delete(f);
        return true;
    }

    /** The stage files, skipping anything else in the directory. */
    private List<Path> files() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (StagingFile.parse(f.getFileName().toString()) != null) {
                    out.add(f);
                }
            }
        } catch (IOException e) {
            throw new LogStorageException("cannot list the stages in " + dir, e);
        }
        return out;
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new LogStorageException("cannot delete the stage " + f, e);
        }
    }
}
