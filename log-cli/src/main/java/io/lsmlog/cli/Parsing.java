package io.lsmlog.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations like 7d, 12h, 30m, 45s, 500ms (or ISO-8601 PT1H) and sizes like 10GB, 512MiB, 1024. */
final class Parsing {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE =
            Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?");

    private Parsing() {}

    static Duration duration(String option, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new CliException(
                    option
                            + ": '"
                            + text
                            + "' is not a duration (e.g. 7d, 12h, 30m, 45s, 500ms, PT1H)");
        }
    }

    static long size(String option, String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CliException(
                    option + ": '" + text + "' is not a size (e.g. 1073741824, 512MB, 10GiB)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long mult =
                switch (unit) {
                    case "kb" -> 1_000L;
                    case "kib" -> 1L << 10;
                    case "mb" -> 1_000_000L;
                    case "mib" -> 1L << 20;
                    case "gb" -> 1_000_000_000L;
                    case "gib" -> 1L << 30;
                    case "tb" -> 1_000_000_000_000L;
                    case "tib" -> 1L << 40;
                    default -> 1L;
                };
        return Math.multiplyExact(n, mult);
    }

    /** A count option such as --limit: absent means no limit, negative is refused. */
    static long limit(String option, Long value) {
        if (value == null) {
            return Long.MAX_VALUE;
        }
        if (value < 0) {
            throw new CliException(option + " must be >= 0, got " + value);
        }
        return value;
    }
}
