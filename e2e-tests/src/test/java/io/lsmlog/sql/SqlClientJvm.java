package io.lsmlog.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL client as {@code bin/lsmlog-sql} runs it: a JVM on lsmlog-tools' runtime class path
 * (written by that module's build; the tests' own class path holds Flink's test jars, which change
 * how the planner behaves), with an empty Flink configuration directory.
 */
final class SqlClientJvm {
    private static final Path TOOLS = Path.of("..", "lsmlog-tools", "target").toAbsolutePath();

    private SqlClientJvm() {}

    static ProcessBuilder of(Path workDir, String... args) throws IOException {
        Path conf = Files.createDirectories(workDir.resolve("flink-conf"));
        Files.writeString(conf.resolve("config.yaml"), "");
        String cp =
                TOOLS.resolve("classes")
                        + java.io.File.pathSeparator
                        + Files.readString(TOOLS.resolve("classpath.txt")).strip();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx768m");
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add("io.lsmlog.tools.sql.LsmLogSql");
        cmd.add("--web-port");
        cmd.add("0");
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().put("FLINK_CONF_DIR", conf.toString());
        return pb;
    }
}
