package io.lsmlog.flink.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.KeyRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyFiltersTest {
    private static byte[] b(String s) {
        return s.getBytes();
    }

    @Test
    void intersectAndNormalize() {
        List<KeyRange> a =
                List.of(KeyRange.between(b("a"), b("m")), KeyRange.between(b("x"), null));
        List<KeyRange> b = List.of(KeyRange.between(b("c"), b("z")));
        assertThat(KeyFilters.intersect(a, b))
                .containsExactly(
                        KeyRange.between(b("c"), b("m")), KeyRange.between(b("x"), b("z")));
        assertThat(
                        KeyFilters.intersect(
                                List.of(KeyRange.single(b("q"))), List.of(KeyRange.prefix("a"))))
                .isEmpty();
        assertThat(
                        KeyFilters.normalize(
                                List.of(
                                        KeyRange.single(b("b")),
                                        KeyRange.single(b("a")),
                                        KeyRange.between(b("a"), b("c")))))
                .containsExactly(KeyRange.between(b("a"), b("c")));
        assertThat(KeyFilters.normalize(List.of(KeyRange.single(b("b")), KeyRange.single(b("d")))))
                .containsExactly(KeyRange.single(b("b")), KeyRange.single(b("d")));
    }
}
