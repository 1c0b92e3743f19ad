package io.lsmlog.cli;

/** A user error the CLI reports in one line (bad arguments that picocli cannot check). */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
