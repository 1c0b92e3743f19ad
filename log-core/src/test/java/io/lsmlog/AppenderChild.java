package io.lsmlog;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A writer process for cross-process tests: appends small batches until told "stop" on stdin (then
 * closes the log cleanly and prints STOPPED) or killed. Prints READY and, every 50 appends, "ACKED
 * n" with the frontier.
 */
public final class AppenderChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String run = args[1];
        long pauseMicros = args.length > 2 ? Long.parseLong(args[2]) : 200;
        AtomicBoolean stop = new AtomicBoolean();
        Thread stdin =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                    new BufferedReader(new InputStreamReader(System.in))) {
                                String line;
                                while ((line = in.readLine()) != null) {
                                    if (line.trim().equals("stop")) {
                                        break;
                                    }
                                }
                            } catch (Exception ignored) {
                                // treat as stop
                            }
                            stop.set(true);
                        });
        stdin.setDaemon(true);
        stdin.start();
        try (Log log = Log.open(LogConfig.builder(dir).segmentRollBytes(16 << 10).build())) {
            System.out.println("READY " + log.nextSequence());
            System.out.flush();
            for (int batch = 0; !stop.get(); batch++) {
                List<Record> records = new ArrayList<>();
                for (int i = 0; i < 1 + batch % 7; i++) {
                    records.add(
                            Record.of("k" + ((batch * 7 + i) % 50), run + ":" + batch + ":" + i));
                }
                AppendResult r = log.append(records);
                if (batch % 50 == 0) {
                    System.out.println("ACKED " + (r.lastSequence() + 1));
                    System.out.flush();
                }
                if (pauseMicros > 0) {
                    Thread.sleep(pauseMicros / 1000, (int) (pauseMicros % 1000) * 1000);
                }
            }
        }
        System.out.println("STOPPED");
        System.out.flush();
    }
}
