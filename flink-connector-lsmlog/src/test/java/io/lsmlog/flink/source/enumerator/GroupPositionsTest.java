package io.lsmlog.flink.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.GroupDescription;
import io.lsmlog.KeyRange;
import io.lsmlog.LogConfig;
import io.lsmlog.flink.internal.LogConfigHolder;
import io.lsmlog.flink.source.split.LsmLogSplit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How split states become group positions, and group positions split starts. */
class GroupPositionsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static GroupDescription.Range range(int id, String start, String end) {
        return new GroupDescription.Range(
                id,
                KeyRange.between(start == null ? null : b(start), end == null ? null : b(end)),
                0,
                null,
                null);
    }

    private static final GroupDescription GROUP =
            new GroupDescription(
                    "g",
                    0,
                    List.of(range(0, null, "f"), range(1, "f", "p"), range(2, "p", null)),
                    List.of());

    private static GroupCommitter committer(List<KeyRange> selection, long stop) {
        return new GroupCommitter(
                "g",
                LogConfigHolder.of(LogConfig.builder(Path.of("unused")).build()),
                selection,
                stop);
    }

    @Test
    void aRangeIsAsFarAsItsSlowestUnfinishedSplit() {
        // Segment 3 sealed [100, 200) is still being read for keys below "k"; the tailing split of
        // segment 4 reads keys from "k" and has reached 260 (its reader said so at the checkpoint).
        LsmLogSplit sealed =
                LsmLogSplit.fresh("s3", 3, 0, KeyRange.between(null, b("k")), 100, 200, false);
        LsmLogSplit tailLow =
                LsmLogSplit.fresh(
                        "t4a", 4, 0, KeyRange.between(null, b("k")), 200, Long.MAX_VALUE, true);
        LsmLogSplit tailHigh =
                LsmLogSplit.fresh(
                        "t4b", 4, 1, KeyRange.between(b("k"), null), 200, Long.MAX_VALUE, true);
        GroupCommitter c = committer(List.of(KeyRange.all()), Long.MAX_VALUE);
        Map<Integer, Long> positions =
                c.positions(
                        GROUP,
                        GroupCommitter.view(
                                List.of(sealed, tailLow, tailHigh),
                                Long.MAX_VALUE,
                                Map.of("t4a", 230L, "t4b", 260L)));
        // [-inf, f): only the sealed split's start; [f, p): straddles "k"; [p, +inf): the tail.
        assertThat(positions)
                .containsExactly(Map.entry(0, 100L), Map.entry(1, 100L), Map.entry(2, 260L));

        // Once the sealed split is finished, the low tail counts; a tail never reported counts
        // from its start.
        GroupCommitter.Pending later =
                GroupCommitter.view(
                        List.of(tailLow, tailHigh), Long.MAX_VALUE, Map.of("t4b", 300L));
        assertThat(c.positions(GROUP, later))
                .containsExactly(Map.entry(0, 200L), Map.entry(1, 200L), Map.entry(2, 300L));
    }

    @Test
    void boundedSourcesEndAtTheirStopAndUnreadKeysAreNotCommitted() {
        GroupCommitter c = committer(List.of(KeyRange.between(b("f"), null)), 500);
        // Everything finished and planned: read up to the stop; range 0 is outside the selection.
        assertThat(c.positions(GROUP, GroupCommitter.view(List.of(), Long.MAX_VALUE, Map.of())))
                .containsExactly(Map.entry(1, 500L), Map.entry(2, 500L));
        // Not all planned yet: no further than planning went.
        assertThat(c.positions(GROUP, GroupCommitter.view(List.of(), 320, Map.of())))
                .containsExactly(Map.entry(1, 320L), Map.entry(2, 320L));
        // Unbounded and between segments (nothing unfinished, nothing known): nothing committed.
        GroupCommitter unbounded = committer(List.of(KeyRange.all()), Long.MAX_VALUE);
        assertThat(
                        unbounded.positions(
                                GROUP, GroupCommitter.view(List.of(), Long.MAX_VALUE, Map.of())))
                .isEmpty();
    }

    @Test
    void groupStartsCutSplitsAtRangeBoundsAndSkipWhatWasRead() {
        LsmLogSplit split =
                LsmLogSplit.fresh(
                        "s2-l0-p0", 2, 0, KeyRange.between(b("c"), b("t")), 50, 150, false);
        List<RangeStart> starts =
                List.of(
                        new RangeStart(KeyRange.between(null, b("f")), 20),
                        new RangeStart(KeyRange.between(b("f"), b("p")), 120),
                        new RangeStart(KeyRange.between(b("p"), null), 150));
        List<LsmLogSplit> cut = RangeStart.cut(List.of(split), starts);
        assertThat(cut).hasSize(2); // [p, t) was read to the segment's end: nothing left
        assertThat(cut.get(0).keys()).isEqualTo(KeyRange.between(b("c"), b("f")));
        assertThat(cut.get(0).from()).isEqualTo(50);
        assertThat(cut.get(1).keys()).isEqualTo(KeyRange.between(b("f"), b("p")));
        assertThat(cut.get(1).from()).isEqualTo(120);
        assertThat(cut).allMatch(s -> s.lane() == 0 && s.segment() == 2 && s.to() == 150);
        assertThat(cut.get(0).splitId()).isNotEqualTo(cut.get(1).splitId());
        assertThat(RangeStart.cut(List.of(split), List.of())).containsExactly(split);
    }
}
