package io.lsmlog.flink.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.KeyRange;
import io.lsmlog.flink.source.enumerator.LsmLogEnumState;
import io.lsmlog.flink.source.enumerator.LsmLogEnumStateSerializer;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitSerializersTest {
    private static byte[] b(String s) {
        return s.getBytes();
    }

    @Test
    void splitsRoundTripWithEveryFieldAndNullBounds() throws IOException {
        LsmLogSplitSerializer s = new LsmLogSplitSerializer();
        List<LsmLogSplit> splits =
                List.of(
                        LsmLogSplit.fresh(
                                "s1-l0-p0", 1, 0, KeyRange.all(), 10, Long.MAX_VALUE, true),
                        LsmLogSplit.fresh(
                                        "s2-l1-p3",
                                        2,
                                        1,
                                        KeyRange.between(b("a"), b("m")),
                                        100,
                                        200,
                                        false)
                                .withPosition(150, new byte[] {0, 1, (byte) 0xFF}, 149),
                        LsmLogSplit.fresh(
                                        "s3-l0-p0",
                                        3,
                                        0,
                                        KeyRange.between(null, b("z")),
                                        0,
                                        5,
                                        false)
                                .asFinished());
        for (LsmLogSplit split : splits) {
            assertThat(s.deserialize(1, s.serialize(split))).isEqualTo(split);
        }
        assertThatThrownBy(() -> s.deserialize(2, s.serialize(splits.get(0))))
                .hasMessageContaining("version 2");
    }

    @Test
    void enumeratorStateRoundTrips() throws IOException {
        LsmLogEnumStateSerializer s = new LsmLogEnumStateSerializer();
        LsmLogEnumState state =
                new LsmLogEnumState(
                        5,
                        Long.MAX_VALUE,
                        7,
                        false,
                        List.of(KeyRange.between(null, b("k")), KeyRange.between(b("k"), null)),
                        List.of(
                                LsmLogSplit.fresh(
                                        "a", 6, 0, KeyRange.between(null, b("k")), 5, 90, false),
                                LsmLogSplit.fresh(
                                        "b",
                                        7,
                                        1,
                                        KeyRange.between(b("k"), null),
                                        90,
                                        Long.MAX_VALUE,
                                        true)),
                        Set.of("a"));
        // Version 1 (before group starts) is version 2 without its last field, an empty count.
        byte[] v2 = s.serialize(state);
        LsmLogEnumState back = s.deserialize(1, java.util.Arrays.copyOf(v2, v2.length - 4));
        assertThat(back.starts()).isEmpty();
        LsmLogEnumState withStarts =
                new LsmLogEnumState(
                        5,
                        Long.MAX_VALUE,
                        7,
                        false,
                        state.lanes(),
                        state.unfinished(),
                        state.assigned(),
                        List.of(
                                new io.lsmlog.flink.source.enumerator.RangeStart(
                                        KeyRange.between(null, b("g")), 12),
                                new io.lsmlog.flink.source.enumerator.RangeStart(
                                        KeyRange.between(b("g"), null), 40)));
        assertThat(s.deserialize(2, s.serialize(withStarts)).starts())
                .isEqualTo(withStarts.starts());
        assertThat(back.startSequence()).isEqualTo(5);
        assertThat(back.stopSequence()).isEqualTo(Long.MAX_VALUE);
        assertThat(back.nextSegment()).isEqualTo(7);
        assertThat(back.lanes()).isEqualTo(state.lanes());
        assertThat(back.unfinished()).isEqualTo(state.unfinished());
        assertThat(back.assigned()).isEqualTo(state.assigned());
        assertThatThrownBy(() -> s.deserialize(3, s.serialize(state)))
                .hasMessageContaining("version 3");
    }

    @Test
    void overlapIsHalfOpen() {
        LsmLogSplit am =
                LsmLogSplit.fresh("x", 0, 0, KeyRange.between(b("a"), b("m")), 0, 1, false);
        LsmLogSplit mz =
                LsmLogSplit.fresh("y", 1, 0, KeyRange.between(b("m"), b("z")), 0, 1, false);
        LsmLogSplit all = LsmLogSplit.fresh("z", 1, 0, KeyRange.all(), 0, 1, false);
        assertThat(am.overlaps(mz)).isFalse();
        assertThat(mz.overlaps(am)).isFalse();
        assertThat(am.overlaps(all)).isTrue();
        assertThat(all.overlaps(mz)).isTrue();
    }
}
