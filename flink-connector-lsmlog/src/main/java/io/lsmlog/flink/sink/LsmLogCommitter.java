package io.lsmlog.flink.sink;

import io.lsmlog.Log;
import io.lsmlog.Marker;
import io.lsmlog.Record;
import io.lsmlog.flink.internal.SharedLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes staged records visible when their checkpoint completes: appends them in chunks, each chunk
 * atomically with the marker {@code (checkpointId, records committed so far)}. A replayed
 * committable resumes after the last committed chunk, or is skipped when done — never appended
 * twice. A subtask's checkpoints are committed in order; a failure fails the job (and the restored
 * job commits again from the marker) rather than reordering commits.
 */
final class LsmLogCommitter implements Committer<LsmLogCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(LsmLogCommitter.class);
    static final int CHUNK_RECORDS = 10_000;
    static final long CHUNK_BYTES = 16L << 20;

    private final LsmLogSinkConfig config;
    private final SharedLogs.Lease<Log> lease;
    private final Path stagingDir;

    LsmLogCommitter(LsmLogSinkConfig config) {
        this.config = config;
        this.lease = SharedLogs.writer(config.log().toConfig());
        this.stagingDir = StagingFile.dir(config.log().path());
    }

    @Override
    public void commit(Collection<CommitRequest<LsmLogCommittable>> requests) throws IOException {
        List<CommitRequest<LsmLogCommittable>> ordered = new ArrayList<>(requests);
        ordered.sort(
                Comparator.comparing(
                                (CommitRequest<LsmLogCommittable> r) ->
                                        r.getCommittable().subtask())
                        .thenComparingLong(r -> r.getCommittable().checkpointId()));
        for (CommitRequest<LsmLogCommittable> request : ordered) {
            if (commitOne(request.getCommittable())) {
                request.signalAlreadyCommitted();
            }
        }
    }

    /** Returns true if the committable had been committed already. */
    private boolean commitOne(LsmLogCommittable c) throws IOException {
        Log log = lease.get();
        Path file = stagingDir.resolve(c.fileName());
        Optional<Marker> m = log.marker(c.markerId());
        long done = 0;
        if (m.isPresent()) {
            Marker marker = m.get();
            if (marker.epoch() > c.checkpointId()
                    || (marker.epoch() == c.checkpointId() && marker.position() >= c.records())) {
                Files.deleteIfExists(file);
                return true;
            }
            if (marker.epoch() == c.checkpointId()) {
                done = marker.position(); // an interrupted commit: resume after its last chunk
            }
        }
        if (!Files.exists(file)) {
            throw new IOException(
                    "staged file "
                            + file
                            + " of checkpoint "
                            + c.checkpointId()
                            + " ("
                            + c.records()
                            + " records) is missing and was not committed: its records are lost");
        }
        try (StagingFile.Reader in = new StagingFile.Reader(file)) {
            in.skip(done);
            while (done < c.records()) {
                List<Record> chunk = in.next(CHUNK_RECORDS, CHUNK_BYTES);
                if (chunk.isEmpty()) {
                    throw new IOException(
                            "staged file "
                                    + file
                                    + " ends at record "
                                    + done
                                    + " of "
                                    + c.records());
                }
                done += chunk.size();
                log.appendWithMarker(chunk, c.markerId(), new Marker(c.checkpointId(), done));
            }
        }
        Files.deleteIfExists(file);
        LOG.debug(
                "committed {} records of checkpoint {} of subtask {}",
                c.records(),
                c.checkpointId(),
                c.subtask());
        return false;
    }

    @Override
    public void close() throws Exception {
        lease.close();
    }
}
