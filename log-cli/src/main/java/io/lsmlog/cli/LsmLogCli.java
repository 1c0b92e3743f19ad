package io.lsmlog.cli;

import io.lsmlog.InvalidArgumentException;
import io.lsmlog.LogCorruptedException;
import io.lsmlog.LogException;
import io.lsmlog.LogLockedException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lsmlog} command line. */
@Command(
        name = "lsmlog",
        mixinStandardHelpOptions = true,
        version = "lsmlog 0.1.0",
        description = "Append to, read, follow, manage and serve an lsmlog log.",
        subcommands = {
            AppendCommand.class,
            DeleteCommand.class,
            ScanCommand.class,
            TailCommand.class,
            KeysCommand.class,
            SegmentsCommand.class,
            CountCommand.class,
            StatsCommand.class,
            CheckpointCommand.class,
            CloneCommand.class,
            RetentionCommand.class,
            ServeCommand.class,
            StagingCommand.class,
            GroupsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class LsmLogCli implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin CommonOptions common;

    /** Environment variables (a map in tests). */
    java.util.function.Function<String, String> environment = System::getenv;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        PrintStream stdout = System.out;
        int code =
                run(
                        args,
                        new PrintWriter(stdout, true, StandardCharsets.UTF_8),
                        new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                        stdout);
        System.exit(code);
    }

    /** Runs a command line; returns the exit code (0 ok, 1 failed, 2 bad usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, OutputStream raw) {
        return run(args, out, err, raw, System::getenv);
    }

    static int run(
            String[] args,
            PrintWriter out,
            PrintWriter err,
            OutputStream raw,
            java.util.function.Function<String, String> environment) {
        LsmLogCli top = new LsmLogCli();
        top.environment = environment;
        CommandLine cl = new CommandLine(top);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommand() instanceof LogCommand c) {
                c.raw = raw;
            }
        }
        cl.setParameterExceptionHandler(
                (ex, a) -> {
                    String cmd = ex.getCommandLine().getCommandName();
                    err.println(
                            "lsmlog: "
                                    + ex.getMessage()
                                    + " (see 'lsmlog "
                                    + (cmd.equals("lsmlog") ? "" : cmd + " ")
                                    + "--help')");
                    err.flush();
                    return 2;
                });
        cl.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    boolean verbose = top.common != null && top.common.verbose;
                    err.println("lsmlog: " + describe(ex));
                    if (verbose) {
                        ex.printStackTrace(err);
                    }
                    err.flush();
                    // The library refuses a bad value the user typed (an empty key, a zero
                    // refresh interval) as InvalidArgumentException: that is bad usage too.
                    return ex instanceof CliException || ex instanceof InvalidArgumentException
                            ? 2
                            : 1;
                });
        return cl.execute(args);
    }

    private static String describe(Exception ex) {
        if (ex instanceof LogLockedException l) {
            return "log "
                    + l.directory()
                    + " is locked by another writer; read-only commands (scan, tail, keys,"
                    + " segments, count, stats) still work while it runs";
        }
        if (ex instanceof LogCorruptedException) {
            return "corrupt log: " + ex.getMessage();
        }
        if (ex instanceof InvalidArgumentException) {
            return ex.getMessage() + " (see --help)";
        }
        if (ex instanceof LogException || ex instanceof CliException) {
            return ex.getMessage();
        }
        return ex.toString();
    }
}
