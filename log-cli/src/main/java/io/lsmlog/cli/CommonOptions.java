package io.lsmlog.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes, before or after the command name ({@code lsmlog --dir D scan k} or
 * {@code lsmlog scan --dir D k}), as git's global options: inherited by every subcommand.
 */
final class CommonOptions {
    /** Where the log directory comes from when --dir is not given. */
    static final String DIR_VARIABLE = "LSMLOG_DIR";

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description = "The log directory (default: $" + DIR_VARIABLE + ").")
    Path dir;

    @Option(
            names = "--json",
            scope = ScopeType.INHERIT,
            description = "Print JSON lines (one object per line) instead of text.")
    boolean json;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;
}
