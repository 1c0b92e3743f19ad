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

    /** Where the server URL comes from when --url is not given. */
    static final String URL_VARIABLE = "LSMLOG_URL";

    /** Where the token comes from when --token is not given. */
    static final String TOKEN_VARIABLE = "LSMLOG_TOKEN";

    @Option(
            names = "--url",
            paramLabel = "URL",
            scope = ScopeType.INHERIT,
            description =
                    "A log server (lsmlog://host:port, lsmlogs:// for TLS) instead of a directory"
                            + " (default: $"
                            + URL_VARIABLE
                            + ").")
    String url;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            scope = ScopeType.INHERIT,
            description =
                    "Bearer token for a server that needs one (default: $" + TOKEN_VARIABLE + ").")
    String token;

    @Option(
            names = "--trust-cert",
            paramLabel = "PEM",
            scope = ScopeType.INHERIT,
            description = "Certificate (PEM) the server's TLS certificate must chain to.")
    Path trustCertificate;

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
