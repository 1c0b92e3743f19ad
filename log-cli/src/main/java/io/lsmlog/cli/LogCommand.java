package io.lsmlog.cli;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogReader;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Base of the commands: common options and ways to open the log. */
abstract class LogCommand implements Callable<Integer> {
    @ParentCommand LsmLogCli top;

    @Spec CommandSpec spec;

    OutputStream raw = System.out;

    CommonOptions common() {
        return top.common;
    }

    Output output() {
        return new Output(spec.commandLine().getOut(), raw, common().json);
    }

    /** --dir, else $LSMLOG_DIR; neither is bad usage. */
    java.nio.file.Path directory() {
        if (common().dir != null) {
            return common().dir;
        }
        String env = top.environment.apply(CommonOptions.DIR_VARIABLE);
        if (env == null || env.isBlank()) {
            throw new CliException(
                    "give the log directory: --dir DIR, or set " + CommonOptions.DIR_VARIABLE);
        }
        return java.nio.file.Path.of(env);
    }

    LogConfig config() {
        return LogConfig.builder(directory()).build();
    }

    /** Read-only commands: works while another process writes the log. */
    LogReader reader() {
        return LogReader.open(config());
    }

    /** Commands that write: takes the writer lock. */
    Log writer() {
        return Log.open(config());
    }

    /** Progress for long work goes to stderr, so stdout stays parseable. */
    void progress(String line) {
        spec.commandLine().getErr().println(line);
        spec.commandLine().getErr().flush();
    }
}
