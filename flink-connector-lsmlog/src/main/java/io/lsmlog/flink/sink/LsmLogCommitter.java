package io.lsmlog.flink.sink;

import io.lsmlog.LogException;
import io.lsmlog.LogWrite;
import io.lsmlog.flink.internal.SharedLogs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
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

    private final LsmLogSinkConfig config;
    private final SharedLogs.Lease<LogWrite> lease;

    LsmLogCommitter(LsmLogSinkConfig config) {
        this.config = config;
        this.lease = SharedLogs.writer(config.log());
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
        try {
            boolean already = lease.get().staging().commit(c.staged());
            LOG.debug(
                    "{} {} records of checkpoint {} of subtask {}",
                    already ? "had committed" : "committed",
                    c.records(),
                    c.checkpointId(),
                    c.subtask());
            return already;
        } catch (LogException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() throws Exception {
        lease.close();
    }
}
