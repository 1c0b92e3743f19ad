package io.lsmlog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Appends batches forever with sync on, printing "ACK run batch size first last" after each
 * acknowledged append; the test kills it with SIGKILL.
 */
public final class CrashChild {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int run = Integer.parseInt(args[1]);
        Random rnd = new Random(run);
        try (Log log = Log.open(LogConfig.builder(dir).sync(true).segmentRollBytes(8192).build())) {
            System.out.println("READY " + log.nextSequence());
            System.out.flush();
            for (int batch = 0; ; batch++) {
                int size = 1 + rnd.nextInt(10);
                List<Record> records = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    records.add(
                            Record.of(
                                    "k" + rnd.nextInt(13),
                                    run
                                            + ":"
                                            + batch
                                            + ":"
                                            + i
                                            + ":"
                                            + size
                                            + ":"
                                            + "x".repeat(rnd.nextInt(100))));
                }
                AppendResult r = log.append(records);
                System.out.println(
                        "ACK "
                                + run
                                + " "
                                + batch
                                + " "
                                + size
                                + " "
                                + r.firstSequence()
                                + " "
                                + r.lastSequence());
                System.out.flush();
            }
        }
    }
}
