package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the log on a 48 MiB tmpfs (mounted by the test; skipped where the machine does
 * not allow mounting), most of it taken by a filler file. Appends fail with {@link
 * LogDiskFullException} naming the directory; once the filler is deleted the same {@link Log}
 * resumes by itself; every acknowledged append is there after a reopen, at its sequences.
 */
class DiskFullTest {
    @TempDir Path tmp;
    private Path mount;

    @BeforeEach
    void mountASmallFileSystem() throws Exception {
        mount = tmp.resolve("small");
        Files.createDirectories(mount);
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString()),
                "cannot mount a tmpfs here (needs root): disk-full test skipped");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", "-l", mount.toString());
        }
    }

    private static boolean run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false; // no mount command
        }
    }

    @Test
    void appendsFailTypedWhileTheDiskIsFullAndResumeWhenSpaceReturns() throws Exception {
        Path dir = mount.resolve("log");
        Path filler = mount.resolve("filler");
        Random rnd = new Random(5);
        List<AppendResult> acked = new ArrayList<>();
        List<Integer> batchOfAck = new ArrayList<>(); // the batch number each ack's values carry
        LogDiskFullException full = null;
        try (Log log =
                Log.open(
                        LogConfig.builder(dir)
                                .writeBufferBytes(1 << 20)
                                .segmentRollBytes(1 << 20)
                                .build())) {
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] block = new byte[1 << 20];
                for (int i = 0; i < 40; i++) {
                    out.write(block);
                }
            }
            for (int b = 0; b < 10_000 && full == null; b++) {
                try {
                    acked.add(log.append(batch(rnd, b)));
                    batchOfAck.add(b);
                } catch (LogDiskFullException e) {
                    full = e;
                }
            }
            assertThat(full).as("the disk filled up").isNotNull();
            assertThat(full.getMessage())
                    .contains(dir.toString())
                    .contains("the disk is full")
                    .contains("resumes by itself");
            assertThat(acked).isNotEmpty();
            long frontier = log.nextSequence();
            assertThat(frontier).isEqualTo(acked.get(acked.size() - 1).lastSequence() + 1);

            Files.delete(filler);
            AppendResult resumed = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (resumed == null && System.nanoTime() < deadline) {
                try {
                    resumed = log.append(batch(rnd, -1));
                } catch (LogDiskFullException e) {
                    Thread.sleep(250); // RocksDB retries its background work every few seconds
                }
            }
            assertThat(resumed).as("the log resumed after space returned").isNotNull();
            // Nothing of the failed appends took a sequence.
            assertThat(resumed.firstSequence()).isEqualTo(frontier);
            acked.add(resumed);
            batchOfAck.add(-1);
        }
        try (Log log = Log.open(LogConfig.builder(dir).build())) {
            AppendResult last = acked.get(acked.size() - 1);
            assertThat(log.nextSequence()).isEqualTo(last.lastSequence() + 1);
            List<LogEntry> all = Model.drain(log.scanBySequence(KeyRange.all(), SeqRange.all()));
            assertThat(all).hasSize((int) log.nextSequence());
            for (int i = 0; i < acked.size(); i++) {
                AppendResult a = acked.get(i);
                for (long q = a.firstSequence(); q <= a.lastSequence(); q++) {
                    assertThat(all.get((int) q).sequence()).isEqualTo(q);
                    assertThat(all.get((int) q).valueString())
                            .startsWith("batch-" + batchOfAck.get(i) + "-");
                }
            }
        }
    }

    /** 100 entries of one batch; each entry's value starts with the batch number. */
    private static List<Record> batch(Random rnd, int b) {
        List<Record> records = new ArrayList<>(100);
        byte[] noise = new byte[100];
        rnd.nextBytes(noise); // incompressible, so the disk really fills
        String value = "batch-" + b + "-" + java.util.HexFormat.of().formatHex(noise);
        for (int i = 0; i < 100; i++) {
            records.add(Record.of("k" + i, value));
        }
        return records;
    }
}
