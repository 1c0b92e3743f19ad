package io.lsmlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyRangeTest {
    private static KeyRange r(String start, String end) {
        return KeyRange.between(
                start == null ? null : start.getBytes(StandardCharsets.UTF_8),
                end == null ? null : end.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void intersectOverlapsAndEnclose() {
        assertThat(r("b", "m").intersect(r("f", null))).isEqualTo(r("f", "m"));
        assertThat(r(null, "m").intersect(r(null, null))).isEqualTo(r(null, "m"));
        assertThat(KeyRange.all().intersect(KeyRange.all())).isEqualTo(KeyRange.all());
        assertThat(r("b", "d").intersect(r("x", "z")).isEmpty()).isTrue();
        assertThat(r("b", "d").overlaps(r("d", "z"))).isFalse(); // end is exclusive
        assertThat(r("b", "d").overlaps(r("c", "z"))).isTrue();
        assertThat(r(null, "d").overlaps(r(null, "a"))).isTrue();
        assertThat(KeyRange.all().encloses(r("a", "b"))).isTrue();
        assertThat(r("a", null).encloses(r("b", null))).isTrue();
        assertThat(r("a", "m").encloses(r("b", null))).isFalse();
        assertThat(r("b", "m").encloses(r(null, "c"))).isFalse();
        assertThat(r("b", "m").encloses(r("b", "m"))).isTrue();
    }
}
