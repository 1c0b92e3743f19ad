package io.lsmlog.flink.internal;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One {@link Log} (writer) and one {@link LogReader} per directory per JVM, shared by every sink
 * writer, committer, source reader and enumerator of that JVM and closed with its last user. A log
 * has a single writer, and several subtasks in one TaskManager write the same directory.
 */
public final class SharedLogs {
    private static final Map<Path, Entry<Log>> WRITERS = new HashMap<>();
    private static final Map<Path, Entry<LogReader>> READERS = new HashMap<>();

    private static final class Entry<T extends AutoCloseable> {
        final T value;
        int users;

        Entry(T value) {
            this.value = value;
        }
    }

    /** A use of a shared log; closing it releases the use. */
    public static final class Lease<T extends AutoCloseable> implements AutoCloseable {
        private final Map<Path, Entry<T>> table;
        private final Path dir;
        private final T value;
        private boolean closed;

        private Lease(Map<Path, Entry<T>> table, Path dir, T value) {
            this.table = table;
            this.dir = dir;
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
                Entry<T> e = table.get(dir);
                if (e != null && --e.users == 0) {
                    table.remove(dir);
                    e.value.close();
                }
            }
        }
    }

    private SharedLogs() {}

    /** The writer of the log in {@code config.directory()}, opened (or created) on first use. */
    public static Lease<Log> writer(LogConfig config) {
        return acquire(WRITERS, config, Log::open);
    }

    /** A reader of the log in {@code config.directory()}, opened on first use. */
    public static Lease<LogReader> reader(LogConfig config) {
        return acquire(READERS, config, LogReader::open);
    }

    private static synchronized <T extends AutoCloseable> Lease<T> acquire(
            Map<Path, Entry<T>> table, LogConfig config, Function<LogConfig, T> open) {
        Path dir = config.directory();
        Entry<T> e = table.get(dir);
        if (e == null) {
            e = new Entry<>(open.apply(config));
            table.put(dir, e);
        }
        e.users++;
        return new Lease<>(table, dir, e.value);
    }
}
