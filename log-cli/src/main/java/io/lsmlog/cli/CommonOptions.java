package io.lsmlog.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
    @Option(
            names = "--dir",
            required = true,
            paramLabel = "DIR",
            description = "The log directory.")
    Path dir;

    @Option(names = "--json", description = "Print JSON lines instead of text.")
    boolean json;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;
}
