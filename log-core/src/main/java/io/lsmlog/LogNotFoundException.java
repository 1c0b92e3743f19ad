package io.lsmlog;

import java.nio.file.Path;

/** A read-only open found no log in the directory. */
public class LogNotFoundException extends LogException {
    public LogNotFoundException(Path directory) {
        super("no log in " + directory + " (the directory does not exist or holds no lsmlog data)");
    }
}
