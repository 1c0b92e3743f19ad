package io.lsmlog.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Child JVMs of the e2e tests: the test's own Java and class path, a bounded heap. */
public final class TestJvm {
    private TestJvm() {}

    /** A process running {@code main} with {@code args} in a JVM with heap {@code heap}. */
    public static ProcessBuilder of(String heap, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        cmd.add(
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    }
}
