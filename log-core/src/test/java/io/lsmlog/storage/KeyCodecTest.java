package io.lsmlog.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lsmlog.LogCorruptedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void workedExampleOfAnEntryKey() {
        byte[] k = KeyCodec.entryKey(1, new byte[] {'a', 0x00, 'b'}, 258);
        assertThat(HEX.formatHex(k)).isEqualTo("00000001" + "61010162" + "00" + "0000000000000102");
        assertThat(KeyCodec.entrySegment(k)).isEqualTo(1);
        assertThat(KeyCodec.entryUserKey(k)).containsExactly('a', 0x00, 'b');
        assertThat(KeyCodec.entrySequence(k)).isEqualTo(258);
    }

    @Test
    void workedExampleOfAKeyIndexKey() {
        byte[] k = KeyCodec.keyIndexKey(new byte[] {0x01, (byte) 0xFF}, 7);
        assertThat(HEX.formatHex(k)).isEqualTo("0102ff" + "00" + "00000007");
        assertThat(KeyCodec.keyIndexUserKey(k)).containsExactly(0x01, 0xFF);
        assertThat(KeyCodec.keyIndexSegment(k)).isEqualTo(7);
    }

    @Test
    void workedExampleOfAnEntryValue() {
        byte[] v = EntryValueCodec.encode(1000, "hi".getBytes());
        assertThat(HEX.formatHex(v)).isEqualTo("01" + "00000000000003e8" + "6869");
        assertThat(EntryValueCodec.timestamp(v)).isEqualTo(1000);
        assertThat(new String(EntryValueCodec.value(v))).isEqualTo("hi");
    }

    @Test
    void workedExampleOfAWriteIndexRecord() {
        byte[] v = WriteIndexRecord.encode(2, 1000, List.of(b("a"), b("b"), b("a")));
        assertThat(HEX.formatHex(v))
                .isEqualTo(
                        "01"
                                + "00000002"
                                + "00000000000003e8"
                                + "03"
                                + "02"
                                + "0161"
                                + "0162"
                                + "000100");
        WriteIndexRecord r = WriteIndexRecord.decode(Bytes.ofLong(7), v);
        assertThat(r.firstSequence()).isEqualTo(7);
        assertThat(r.segment()).isEqualTo(2);
        assertThat(r.appendTime()).isEqualTo(1000);
        assertThat(r.count()).isEqualTo(3);
        assertThat(r.keyAt(7)).isEqualTo(b("a"));
        assertThat(r.keyAt(8)).isEqualTo(b("b"));
        assertThat(r.keyAt(9)).isEqualTo(b("a"));
    }

    @Test
    void truncatedWriteIndexRecordIsCorruption() {
        byte[] v = WriteIndexRecord.encode(2, 1000, List.of(b("a"), b("b")));
        assertThatThrownBy(() -> WriteIndexRecord.decode(Bytes.ofLong(0), Arrays.copyOf(v, 12)))
                .isInstanceOf(LogCorruptedException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void malformedEscapingIsCorruption() {
        byte[] bad = {0, 0, 0, 1, 'a', 0x01, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 1};
        assertThatThrownBy(() -> KeyCodec.entryUserKey(bad))
                .isInstanceOf(LogCorruptedException.class);
    }

    /**
     * Random keys over a tiny alphabet of the interesting bytes, so collisions and prefixes abound.
     */
    private static List<byte[]> randomKeys(Random rnd, int n) {
        byte[] alphabet = {
            0x00, 0x01, 0x02, 'a', (byte) 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF
        };
        List<byte[]> keys = new ArrayList<>();
        keys.add(new byte[0]);
        for (int i = 0; i < n; i++) {
            byte[] k = new byte[rnd.nextInt(6)];
            for (int j = 0; j < k.length; j++) {
                k[j] = alphabet[rnd.nextInt(alphabet.length)];
            }
            keys.add(k);
            if (k.length > 0) {
                keys.add(Arrays.copyOf(k, k.length - 1)); // a prefix of it
            }
        }
        return keys;
    }

    @Test
    void escapingRoundTripsAndPreservesOrder() {
        Random rnd = new Random(42);
        List<byte[]> keys = randomKeys(rnd, 2000);
        for (byte[] k : keys) {
            byte[] e = KeyCodec.escapeTerminated(k);
            assertThat(KeyCodec.unescape(e, 0, e.length)).isEqualTo(k);
        }
        for (int i = 0; i < 20000; i++) {
            byte[] a = keys.get(rnd.nextInt(keys.size()));
            byte[] b = keys.get(rnd.nextInt(keys.size()));
            int expected = Integer.signum(Arrays.compareUnsigned(a, b));
            assertThat(
                            Integer.signum(
                                    Arrays.compareUnsigned(
                                            KeyCodec.escapeTerminated(a),
                                            KeyCodec.escapeTerminated(b))))
                    .as("order of %s vs %s", HEX.formatHex(a), HEX.formatHex(b))
                    .isEqualTo(expected);
        }
    }

    @Test
    void entryKeysOrderBySegmentThenKeyThenSequence() {
        Random rnd = new Random(7);
        List<byte[]> keys = randomKeys(rnd, 300);
        keys.removeIf(k -> k.length == 0);
        for (int i = 0; i < 20000; i++) {
            byte[] ka = keys.get(rnd.nextInt(keys.size()));
            byte[] kb = keys.get(rnd.nextInt(keys.size()));
            int sa = rnd.nextInt(3);
            int sb = rnd.nextInt(3);
            long qa = rnd.nextInt(3) == 0 ? rnd.nextLong() & Long.MAX_VALUE : rnd.nextInt(300);
            long qb = rnd.nextInt(3) == 0 ? rnd.nextLong() & Long.MAX_VALUE : rnd.nextInt(300);
            int expected = Integer.compare(sa, sb);
            if (expected == 0) {
                expected = Arrays.compareUnsigned(ka, kb);
            }
            if (expected == 0) {
                expected = Long.compare(qa, qb);
            }
            byte[] ea = KeyCodec.entryKey(sa, ka, qa);
            byte[] eb = KeyCodec.entryKey(sb, kb, qb);
            assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb)))
                    .isEqualTo(Integer.signum(expected));
            assertThat(KeyCodec.entryUserKey(ea)).isEqualTo(ka);
            assertThat(KeyCodec.entrySequence(ea)).isEqualTo(qa);
            // Range bounds: every entry of a key k satisfies bound(k) <= entry < after(k).
            assertThat(Arrays.compareUnsigned(KeyCodec.segmentKeyBound(sa, ka), ea)).isLessThan(0);
            assertThat(Arrays.compareUnsigned(ea, KeyCodec.entryKeyAfter(sa, ka))).isLessThan(0);
            if (sa == sb && Arrays.compareUnsigned(ka, kb) < 0) {
                assertThat(Arrays.compareUnsigned(KeyCodec.entryKeyAfter(sa, ka), eb))
                        .as(
                                "after(%s) sorts before entries of %s",
                                HEX.formatHex(ka), HEX.formatHex(kb))
                        .isLessThanOrEqualTo(0);
                assertThat(Arrays.compareUnsigned(ea, KeyCodec.segmentKeyBound(sb, kb)))
                        .isLessThan(0);
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes();
    }
}
