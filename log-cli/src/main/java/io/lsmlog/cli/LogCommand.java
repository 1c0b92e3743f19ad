package io.lsmlog.cli;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogReader;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the commands: common options and ways to open the log. */
abstract class LogCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Spec CommandSpec spec;

    OutputStream raw = System.out;

    Output output() {
        return new Output(spec.commandLine().getOut(), raw, common.json);
    }

    LogConfig config() {
        return LogConfig.builder(common.dir).build();
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
