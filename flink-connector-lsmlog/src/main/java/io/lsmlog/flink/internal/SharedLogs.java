package io.lsmlog.flink.internal;

import io.lsmlog.Log;
import io.lsmlog.LogRead;
import io.lsmlog.LogReader;
import io.lsmlog.LogWrite;
import io.lsmlog.client.ClientConfig;
import io.lsmlog.client.LogClient;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One writer and one reader per log per JVM, shared by every sink writer, committer, source reader
 * and enumerator of that JVM and closed with its last user. For a directory that is a {@link Log}
 * (a log has a single writer, and several subtasks in one TaskManager write the same directory) and
 * a {@link LogReader}; for a server ({@code lsmlog://host:port}) one client serves both, in every
 * TaskManager alike: the server is the single writer.
 */
public final class SharedLogs {
    private static final Map<String, Entry<LogWrite>> WRITERS = new HashMap<>();
    private static final Map<String, Entry<LogRead>> READERS = new HashMap<>();

    private static final class Entry<T extends AutoCloseable> {
        final T value;
        int users;

        Entry(T value) {
            this.value = value;
        }
    }

    /** A use of a shared log; closing it releases the use. */
    public static final class Lease<T extends AutoCloseable> implements AutoCloseable {
        private final Map<String, Entry<T>> table;
        private final String location;
        private final T value;
        private boolean closed;

        private Lease(Map<String, Entry<T>> table, String location, T value) {
            this.table = table;
            this.location = location;
            this.value = value;
        }

        public T get() {
            return value;
        }

        @Override
        public void close() throws Exception {
            synchronized (SharedLogs.class) {
                if (closed) {
                    return;
                }
                closed = true;
                Entry<T> e = table.get(location);
                if (e != null && --e.users == 0) {
                    table.remove(location);
                    e.value.close();
                }
            }
        }
    }

    private SharedLogs() {}

    /** The writer of the log, opened (or created) on first use. */
    public static Lease<LogWrite> writer(LogConfigHolder log) {
        return acquire(WRITERS, log, h -> h.isRemote() ? remote(h) : Log.open(h.toConfig()));
    }

    /** A reader of the log, opened on first use. */
    public static Lease<LogRead> reader(LogConfigHolder log) {
        return acquire(READERS, log, h -> h.isRemote() ? remote(h) : LogReader.open(h.toConfig()));
    }

    private static LogWrite remote(LogConfigHolder h) {
        return LogClient.open(
                URI.create(h.directory()), ClientConfig.defaults().withToken(h.token()));
    }

    private static synchronized <T extends AutoCloseable> Lease<T> acquire(
            Map<String, Entry<T>> table,
            LogConfigHolder log,
            Function<LogConfigHolder, ? extends T> open) {
        String location = log.isRemote() ? log.directory() : log.path().toString();
        Entry<T> e = table.get(location);
        if (e == null) {
            e = new Entry<>(open.apply(log));
            table.put(location, e);
        }
        e.users++;
        return new Lease<>(table, location, e.value);
    }
}
