package io.lsmlog.cli;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogRead;
import io.lsmlog.LogReader;
import io.lsmlog.LogWrite;
import io.lsmlog.client.ClientConfig;
import io.lsmlog.client.LogClient;
import io.lsmlog.client.RemoteLog;
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

    /** --url, else $LSMLOG_URL; null when the log is a directory. */
    String url() {
        if (common().url != null) {
            return common().url;
        }
        String env = top.environment.apply(CommonOptions.URL_VARIABLE);
        return env == null || env.isBlank() ? null : env;
    }

    /** Read-only commands: works while another process writes the log, or through its server. */
    LogRead reader() {
        return url() != null ? remote() : LogReader.open(config());
    }

    /** Commands that write: takes the writer lock, or appends through the log's server. */
    LogWrite writer() {
        return url() != null ? remote() : Log.open(config());
    }

    RemoteLog remote() {
        if (common().dir != null) {
            throw new CliException("give either --dir or --url, not both");
        }
        String token =
                common().token != null
                        ? common().token
                        : top.environment.apply(CommonOptions.TOKEN_VARIABLE);
        ClientConfig c =
                ClientConfig.defaults().withToken(token == null || token.isBlank() ? null : token);
        if (common().trustCertificate != null) {
            c = c.withTrustCertificate(common().trustCertificate);
        }
        try {
            return LogClient.open(java.net.URI.create(url()), c);
        } catch (IllegalArgumentException e) {
            throw new CliException("--url: " + e.getMessage());
        }
    }

    /** Progress for long work goes to stderr, so stdout stays parseable. */
    void progress(String line) {
        spec.commandLine().getErr().println(line);
        spec.commandLine().getErr().flush();
    }
}
