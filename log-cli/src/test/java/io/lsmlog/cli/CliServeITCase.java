package io.lsmlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lsmlog serve} as a real process and {@code bin/lsmlog --url} commands from other
 * processes: what they print through the server is what the same commands print from the directory.
 */
class CliServeITCase {
    @TempDir Path tmp;

    private static Path launcher() {
        return Path.of("").toAbsolutePath().getParent().resolve("bin").resolve("lsmlog");
    }

    private record Run(int code, String out, String err) {}

    private Run run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    private String ok(String... args) throws Exception {
        Run r = run(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r.out();
    }

    @Test
    void commandsThroughTheServerPrintWhatTheyPrintFromTheDirectory() throws Exception {
        Path dir = tmp.resolve("log");
        Process server =
                new ProcessBuilder(
                                launcher().toString(),
                                "serve",
                                "--dir",
                                dir.toString(),
                                "--port",
                                "0")
                        .directory(tmp.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try {
            BufferedReader lines =
                    new BufferedReader(
                            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String serving = lines.readLine();
            assertThat(serving)
                    .startsWith("serving " + dir.toAbsolutePath() + " at lsmlog://127.0.0.1:");
            String url = serving.substring(serving.indexOf("lsmlog://"));

            assertThat(ok("--url", url, "append", "orders-1", "first"))
                    .contains("appended sequence 0");
            Path file = tmp.resolve("records.tsv");
            StringBuilder tsv = new StringBuilder();
            for (int i = 0; i < 1_000; i++) {
                tsv.append("orders-")
                        .append(i % 7)
                        .append('\t')
                        .append("value ")
                        .append(i)
                        .append('\n');
            }
            Files.writeString(file, tsv);
            assertThat(ok("append", "--url", url, "--file", file.toString())).contains("1,000");
            // While the server writes, a second writer on the directory is refused.
            Run locked = run("--dir", dir.toString(), "append", "orders-1", "second");
            assertThat(locked.code()).isEqualTo(1);
            assertThat(locked.err()).contains("locked by another writer");

            for (String[] command :
                    List.of(
                            new String[] {"scan", "orders-3"},
                            new String[] {"scan", "--prefix", "orders-"},
                            new String[] {"keys"},
                            new String[] {"count", "orders-1"},
                            new String[] {"segments"},
                            new String[] {"stats"})) {
                List<String> viaUrl = new ArrayList<>(List.of("--url", url));
                viaUrl.addAll(List.of(command));
                List<String> viaDir = new ArrayList<>(List.of("--dir", dir.toString()));
                viaDir.addAll(List.of(command));
                String remote = ok(viaUrl.toArray(String[]::new));
                assertThat(remote).as(String.join(" ", command)).isNotBlank();
                assertThat(remote)
                        .as(String.join(" ", command))
                        .isEqualTo(ok(viaDir.toArray(String[]::new)));
            }
            assertThat(ok("--url", url, "scan", "orders-1")).startsWith("orders-1\t0\t");
            assertThat(
                            ok(
                                    "--url",
                                    url,
                                    "tail",
                                    "--from",
                                    "0",
                                    "--limit",
                                    "3",
                                    "--prefix",
                                    "orders-"))
                    .hasLineCount(3);
            Run both = run("--url", url, "--dir", dir.toString(), "keys");
            assertThat(both.code()).isEqualTo(2);
            assertThat(both.err()).contains("either --dir or --url");
        } finally {
            server.destroy(); // SIGTERM: a graceful shutdown
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        // The server closed the log: the directory can be written again.
        assertThat(ok("--dir", dir.toString(), "append", "orders-1", "after"))
                .contains("appended sequence 1001");
    }
}
