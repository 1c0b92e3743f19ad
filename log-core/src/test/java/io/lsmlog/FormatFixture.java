package io.lsmlog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the format-compatibility fixture (run by hand when the fixture is made; {@link
 * FormatCompatibilityTest} reads the committed copy): 3 segments, keys with tricky bytes, values
 * with their own timestamps, saved as a checkpoint so the data sits in SST files.
 */
public final class FormatFixture {
    static final long[] TIMES = {1_700_000_000_000L, 1_700_000_010_000L, 1_700_000_020_000L};

    /** The records of segment s; the fixture holds segments 0..2. */
    static List<Record> records(int s) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] key =
                    i % 5 == 4
                            ? new byte[] {0x00, 0x01, (byte) 0xFF, (byte) i}
                            : ("key-" + (i % 4)).getBytes();
            out.add(new Record(key, ("s" + s + "-v" + i).getBytes(), 1_000_000L * s + i));
        }
        return out;
    }

    /** Writes the fixture to args[0], which must not exist. */
    public static void main(String[] args) throws Exception {
        long[] now = {TIMES[0]};
        Path work = Files.createTempDirectory("fixture");
        LogConfig cfg =
                LogConfig.builder(work.resolve("log"))
                        .segmentRollInterval(Duration.ofSeconds(5))
                        .build();
        try (Log log = Log.open(cfg, new FixedClock(now))) {
            for (int s = 0; s < 3; s++) {
                now[0] = TIMES[s];
                log.append(records(s));
            }
            log.awaitSealing(
                    Duration.ofMinutes(1)); // sealed segments as chunks, the open one as runs
            log.checkpoint(Path.of(args[0]));
        }
    }
}
