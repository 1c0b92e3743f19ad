package io.lsmlog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The child of {@link CrashTool}: works a log until it is killed with SIGKILL, telling the tool on
 * stdout what it did so the tool can aim its kill and check the log afterwards.
 *
 * <ul>
 *   <li>{@code READY next}: opened (recovery done).
 *   <li>{@code ACK run batch size first last segment}: an append returned (blocking or pipelined).
 *   <li>{@code BEGIN retention|checkpoint}: about to start one; {@code RETAINED first} and {@code
 *       CHECKPOINT path frontier} when it returned.
 * </ul>
 *
 * Arguments: {@code dir run sync(true|false) seed}. Segments of 8 KiB roll every few dozen appends
 * and seal in the background, so kills also land inside rolls and seals.
 */
public final class CrashWriter {
    static final long SEGMENT_BYTES = 8192;

    /** Retention keeps the log near this size, so hundreds of cycles stay small and fast. */
    static final long RETAINED_BYTES = 96 << 10;

    static LogConfig config(Path dir, boolean sync) {
        return LogConfig.builder(dir).sync(sync).segmentRollBytes(SEGMENT_BYTES).build();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int run = Integer.parseInt(args[1]);
        boolean sync = Boolean.parseBoolean(args[2]);
        Random rnd = new Random(Long.parseLong(args[3]));
        try (Log log = Log.open(config(dir, sync))) {
            say("READY " + log.nextSequence());
            int batch = 0;
            for (int step = 0; ; step++) {
                int what = rnd.nextInt(100);
                if (what < 3) {
                    say("BEGIN retention");
                    log.applyRetention(null, RETAINED_BYTES);
                    say("RETAINED " + log.firstSequence());
                } else if (what < 5) {
                    Path cp = dir.resolveSibling("checkpoints").resolve(run + "-" + step);
                    say("BEGIN checkpoint");
                    long frontier = log.nextSequence();
                    log.checkpoint(cp);
                    say("CHECKPOINT " + cp + " " + frontier);
                } else if (what < 25) {
                    // Pipelined: several appends in flight make group commits of many batches.
                    List<CompletableFuture<AppendResult>> inFlight = new ArrayList<>();
                    List<Integer> sizes = new ArrayList<>();
                    int first = batch;
                    for (int i = 0; i < 2 + rnd.nextInt(6); i++) {
                        List<Record> records = records(rnd, run, batch++);
                        sizes.add(records.size());
                        inFlight.add(log.appendAsync(records));
                    }
                    for (int i = 0; i < inFlight.size(); i++) {
                        ack(run, first + i, sizes.get(i), inFlight.get(i).join());
                    }
                } else {
                    List<Record> records = records(rnd, run, batch);
                    ack(run, batch++, records.size(), log.append(records));
                }
            }
        }
    }

    /** 1-10 records on 13 keys; each value says run:batch:index:size and pads to 0-99 bytes. */
    private static List<Record> records(Random rnd, int run, int batch) {
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
        return records;
    }

    private static void ack(int run, int batch, int size, AppendResult r) {
        say(
                "ACK "
                        + run
                        + " "
                        + batch
                        + " "
                        + size
                        + " "
                        + r.firstSequence()
                        + " "
                        + r.lastSequence()
                        + " "
                        + r.segmentId());
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
