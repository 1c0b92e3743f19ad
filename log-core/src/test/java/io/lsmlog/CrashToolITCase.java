package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of {@link CrashTool}: 20 kill -9 cycles, sync on and off in turn, kills aimed at
 * appends, segment seals, retention passes and checkpoints. {@code bin/bench crash} runs more.
 */
class CrashToolITCase {
    @TempDir Path dir;

    @Test
    void killedWriterLosesNothingAcknowledgedAndNeverShowsHalfABatch() throws Exception {
        CrashTool.Report r =
                CrashTool.run(
                        new CrashTool.Options(dir, 20, CrashTool.SyncMode.BOTH, 99, System.out));
        System.out.println("crash: " + r.summary());
        assertThat(r.violations()).isEmpty();
        assertThat(r.cycles()).isEqualTo(20);
        assertThat(r.acknowledgedBatches()).isGreaterThan(100);
        assertThat(r.killsByTarget().keySet())
                .containsExactlyInAnyOrder("random", "retention", "checkpoint", "seal");
    }
}
