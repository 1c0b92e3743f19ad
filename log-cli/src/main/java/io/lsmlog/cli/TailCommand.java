package io.lsmlog.cli;

import io.lsmlog.KeyRange;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.LogRead;
import io.lsmlog.LogReader;
import io.lsmlog.SeqRange;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = {
            "Follow a KEY or the keys with a --prefix: print new entries as they are appended.",
            "Entries appended by another process show up too; runs until interrupted or --limit."
        })
final class TailCommand extends LogCommand {
    @Mixin KeySelection keys;

    @Option(
            names = "--from",
            paramLabel = "SEQ",
            description = "Start at this sequence (default: only entries appended from now on).")
    Long from;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N entries.")
    Long limit;

    @Option(
            names = "--refresh",
            paramLabel = "D",
            defaultValue = "100ms",
            description = "How often to catch up with the writer (default: ${DEFAULT-VALUE}).")
    String refresh;

    @Option(names = "--raw", description = "Print only the value bytes of each entry.")
    boolean raw;

    @Override
    public Integer call() throws InterruptedException {
        long max = Parsing.limit("--limit", limit);
        KeyRange kr = keys.range(false);
        Duration every = Parsing.duration("--refresh", refresh);
        if (every.isZero() || every.isNegative()) {
            throw new CliException("--refresh must be > 0, got " + refresh);
        }
        if (from != null && from < 0) {
            throw new CliException("--from must be >= 0, got " + from);
        }
        Output out = output();
        // Through a server, a wait for new entries is answered on append: --refresh is moot.
        try (LogRead log =
                url() != null
                        ? remote()
                        : LogReader.open(
                                config().toBuilder().readerRefreshInterval(every).build())) {
            long next = from != null ? from : log.nextSequence();
            long printed = 0;
            while (printed < max) {
                if (!log.awaitSequence(next, Duration.ofSeconds(1))) {
                    continue;
                }
                long frontier = log.nextSequence();
                try (LogIterator it = log.scanBySequence(kr, SeqRange.between(next, frontier))) {
                    while (it.hasNext() && printed < max) {
                        LogEntry e = it.next();
                        out.entry(e, raw);
                        printed++;
                    }
                }
                next = Math.max(next, frontier);
            }
        }
        return 0;
    }
}
