package io.lsmlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell sessions of docs/cli.md and the README, run line by line through {@code bin/lsmlog} as
 * real processes in one working directory, each output compared with the documented one — up to
 * what differs between runs (times, sizes, absolute paths, durations).
 */
class CliDocsITCase {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern BLOCK =
            Pattern.compile("(?m)^```\\n(\\$ .*?)^```", Pattern.DOTALL);

    @TempDir Path tmp;

    /** A documented command and the lines it is documented to print. */
    private record Step(String command, List<String> output) {}

    private static List<Step> steps(String page) throws Exception {
        List<Step> steps = new ArrayList<>();
        Matcher m = BLOCK.matcher(Files.readString(ROOT.resolve(page)));
        while (m.find()) {
            for (String line : m.group(1).split("\n")) {
                if (line.startsWith("$ ")) {
                    steps.add(new Step(line.substring(2), new ArrayList<>()));
                } else {
                    steps.get(steps.size() - 1).output().add(line);
                }
            }
        }
        return steps;
    }

    /** What may differ between runs becomes a placeholder; runs of blanks become one. */
    private String normalize(String s) throws java.io.IOException {
        return s.replace(tmp.toRealPath().toString(), "/…")
                .replace(tmp.toString(), "/…")
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z", "<time>")
                .replaceAll("\\d+\\.\\d+ s\\b", "<seconds> s")
                // sizes (an open segment's is an estimate and may be small) and epoch millis
                .replaceAll("\\d{1,3}(,\\d{3})+|\\d{3,}", "<n>")
                .replaceAll("[ \\t]+", " ")
                .strip();
    }

    private String run(String command) throws Exception {
        String cmd = command.replace("bin/lsmlog", ROOT.resolve("bin/lsmlog").toString());
        Process p =
                new ProcessBuilder("sh", "-c", cmd)
                        .directory(tmp.toFile())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(command).isTrue();
        assertThat(p.exitValue()).as("%s%n%s", command, out).isZero();
        return out;
    }

    private void check(String page, int expectedSteps) throws Exception {
        List<Step> steps = steps(page);
        assertThat(steps).hasSize(expectedSteps);
        for (Step step : steps) {
            String out = run(step.command());
            assertThat(normalize(out))
                    .as("%s: $ %s", page, step.command())
                    .isEqualTo(normalize(String.join("\n", step.output())));
        }
    }

    @Test
    void cliGuide() throws Exception {
        check("docs/cli.md", 14);
    }

    @Test
    void readmeSession() throws Exception {
        check("README.md", 4);
    }
}
