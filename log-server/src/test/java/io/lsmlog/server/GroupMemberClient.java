package io.lsmlog.server;

import io.lsmlog.GroupOptions;
import io.lsmlog.LogEntry;
import io.lsmlog.ReaderGroup;
import io.lsmlog.client.LogClient;
import io.lsmlog.client.RemoteLog;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A reader-group member in its own JVM: {@code url group member file}. Polls, writes each delivered
 * entry as a line "sequence key value" to the file (unbuffered: what a kill -9 leaves is what it
 * delivered), commits after every fourth poll (and when it caught up) and then writes a line
 * "commit"; so only entries after its last "commit" line can be delivered again once it is killed.
 * Prints "joined", and "left N" after a "stop" line on stdin.
 */
public final class GroupMemberClient {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        GroupOptions options =
                GroupOptions.defaults()
                        .withSessionTimeout(Duration.ofSeconds(3))
                        .withHeartbeatInterval(Duration.ofMillis(300))
                        .withAutoCommit(false)
                        .withRanges(12);
        Thread stdin =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    System.in, StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = in.readLine()) != null && !line.equals("stop")) {
                                    // wait for "stop" or the end of stdin
                                }
                            } catch (Exception ignored) {
                                // treated as stop
                            }
                        });
        stdin.setDaemon(true);
        stdin.start();
        long delivered = 0;
        int polls = 0;
        try (RemoteLog log = LogClient.open(url);
                OutputStream out = new FileOutputStream(args[3], true);
                ReaderGroup group = ReaderGroup.join(log, args[1], args[2], options)) {
            System.out.println("joined");
            System.out.flush();
            while (stdin.isAlive()) {
                List<LogEntry> polled = group.poll(200, Duration.ofMillis(100));
                if (polled.isEmpty()) {
                    if (polls % 4 != 0) { // caught up: commit the rest
                        polls = 0;
                        group.commit();
                        out.write("commit\n".getBytes(StandardCharsets.UTF_8));
                    }
                    continue;
                }
                StringBuilder lines = new StringBuilder();
                for (LogEntry e : polled) {
                    lines.append(e.sequence())
                            .append(' ')
                            .append(e.keyString())
                            .append(' ')
                            .append(e.valueString())
                            .append('\n');
                }
                out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                delivered += polled.size();
                if (++polls % 4 == 0) {
                    group.commit();
                    out.write("commit\n".getBytes(StandardCharsets.UTF_8));
                }
            }
            group.commit();
            System.out.println("rejoins " + group.rejoins());
        }
        System.out.println("left " + delivered);
        System.out.flush();
    }
}
