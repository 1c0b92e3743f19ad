package io.lsmlog.cli;

import io.lsmlog.KeyRange;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** KEY, --prefix P, or --from-key A [--to-key B]: which keys a command reads. */
final class KeySelection {
    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "One key.")
    String key;

    @Option(names = "--prefix", paramLabel = "P", description = "Every key starting with P.")
    String prefix;

    @Option(names = "--from-key", paramLabel = "A", description = "Keys from A (inclusive).")
    String fromKey;

    @Option(names = "--to-key", paramLabel = "B", description = "Keys up to B (exclusive).")
    String toKey;

    boolean isSingleKey() {
        return key != null;
    }

    byte[] keyBytes() {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** The selection as a key range; {@code allowAll}: no selection means every key. */
    KeyRange range(boolean allowAll) {
        int given =
                (key != null ? 1 : 0)
                        + (prefix != null ? 1 : 0)
                        + (fromKey != null || toKey != null ? 1 : 0);
        if (given > 1) {
            throw new CliException("give one of KEY, --prefix, or --from-key/--to-key");
        }
        if (key != null) {
            if (key.isEmpty()) {
                throw new CliException("KEY must not be empty (a log's keys have >= 1 byte)");
            }
            return KeyRange.single(keyBytes());
        }
        if (prefix != null) {
            return KeyRange.prefix(prefix);
        }
        if (fromKey != null || toKey != null) {
            return KeyRange.between(bytes(fromKey), bytes(toKey));
        }
        if (!allowAll) {
            throw new CliException("give a KEY, --prefix P, or --from-key A --to-key B");
        }
        return KeyRange.all();
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
