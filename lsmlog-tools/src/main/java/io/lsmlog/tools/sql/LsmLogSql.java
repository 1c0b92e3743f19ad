package io.lsmlog.tools.sql;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.table.client.SqlClient;
import org.apache.flink.table.client.cli.CliClient;
import org.apache.flink.table.client.cli.TerminalUtils;
import org.jline.terminal.Terminal;

/**
 * {@code bin/lsmlog-sql}: Flink's own SQL client (embedded mode) with the lsmlog connector and the
 * json, csv and raw formats on its class path, submitting to an in-process Flink cluster that also
 * serves Flink's web UI on 127.0.0.1 — so SET, RESET, STATEMENT SET, SHOW JOBS and the rest behave
 * as in any Flink, and a browser can watch the jobs while they run.
 *
 * <p>Takes the SQL client's options ({@code -f script.sql}, {@code -i init.sql}, {@code -D
 * key=value}, ...; no script: the interactive shell) plus {@code -e "statements"} for a one-liner
 * and {@code --web-port N} (default 8081; 0 picks a free port). Exit code 1 when a statement of a
 * script failed (Flink's client stops there), 2 for bad arguments.
 */
public final class LsmLogSql extends SqlClient {
    private LsmLogSql() {
        super(false, null, null); // never made: the subclass only reaches startClient
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (Exception e) {
            System.err.println("lsmlog-sql: " + e);
            code = 1;
        }
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        int webPort = 8081;
        String oneLiner = null;
        boolean script = false;
        List<String> clientArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("-e") || a.equals("--execute") || a.equals("--web-port"))
                    && i + 1 == args.length) {
                err.println("lsmlog-sql: " + a + " needs a value (see --help)");
                return 2;
            }
            switch (a) {
                case "-e", "--execute" -> oneLiner = args[++i];
                case "--web-port" -> {
                    try {
                        webPort = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        err.println("lsmlog-sql: --web-port takes a port number, got " + args[i]);
                        return 2;
                    }
                }
                default -> {
                    script |= a.equals("-f") || a.equals("--file");
                    clientArgs.add(a);
                }
            }
        }
        if (oneLiner != null) {
            if (script) {
                err.println("lsmlog-sql: give -e or -f, not both");
                return 2;
            }
            Path file = Files.createTempFile("lsmlog-sql-", ".sql");
            file.toFile().deleteOnExit();
            Files.writeString(file, oneLiner.strip().endsWith(";") ? oneLiner : oneLiner + ";");
            clientArgs.add("-f");
            clientArgs.add(file.toString());
            script = true;
        }
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, webPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
        try (MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .build())) {
            cluster.start();
            URI rest = cluster.getRestAddress().get();
            err.println("Flink web UI: " + rest + " (jobs, metrics, back-pressure)");
            List<String> all = new ArrayList<>();
            all.add("embedded");
            all.add("-Dexecution.target=remote");
            all.add("-Drest.address=" + rest.getHost());
            all.add("-Drest.port=" + rest.getPort());
            // Statements of a script run in order, an INSERT finished before the next statement
            // (SET 'table.dml-sync' = 'false' submits and goes on, as Flink's default does).
            all.add("-Dtable.dml-sync=true");
            if (script) {
                // A script's results print as tables (the shell keeps Flink's paging view).
                all.add("-Dsql-client.execution.result-mode=tableau");
            }
            all.addAll(clientArgs);
            ErrorWatch watch = new ErrorWatch(out);
            Supplier<Terminal> terminal =
                    script
                            ? () -> TerminalUtils.createDumbTerminal(System.in, watch)
                            : CliClient.DEFAULT_TERMINAL_FACTORY;
            try {
                startClient(all.toArray(String[]::new), terminal);
            } catch (RuntimeException e) {
                err.println("lsmlog-sql: " + e.getMessage());
                return 1;
            }
            watch.flush();
            return watch.failed ? 1 : 0;
        }
    }

    /** Passes the client's output through and notes an "[ERROR]" line (a failed statement). */
    private static final class ErrorWatch extends OutputStream {
        private final PrintStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean failed;

        ErrorWatch(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** Whole buffers pass through at once (results can be large); lines are scanned here. */
        @Override
        public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    failed |= line.toString(StandardCharsets.UTF_8).contains("[ERROR]");
                    line.reset();
                } else {
                    line.write(b[i]);
                }
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
