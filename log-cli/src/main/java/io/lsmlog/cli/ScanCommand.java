package io.lsmlog.cli;

import io.lsmlog.KeyRange;
import io.lsmlog.LogIterator;
import io.lsmlog.LogRead;
import io.lsmlog.SeqRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "scan",
        mixinStandardHelpOptions = true,
        description = {
            "Print entries: of one KEY, of keys with a --prefix, or of a key range.",
            "Each entry: key, sequence, timestamp, value (UTF-8, or base64 when it is not)."
        })
final class ScanCommand extends LogCommand {
    @Mixin KeySelection keys;

    @Option(names = "--from", paramLabel = "SEQ", description = "First sequence (inclusive).")
    Long from;

    @Option(names = "--to", paramLabel = "SEQ", description = "Last sequence (exclusive).")
    Long to;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N entries.")
    Long limit;

    @Option(
            names = "--raw",
            description = "Print only the value bytes of each entry, one per line.")
    boolean raw;

    @Option(names = "--by-sequence", description = "Order a key range by sequence, not by key.")
    boolean bySequence;

    static SeqRange range(Long from, Long to) {
        long f = from == null ? 0 : from;
        long t = to == null ? Long.MAX_VALUE : to;
        if (f < 0 || t < f) {
            throw new CliException("--from/--to: need 0 <= from <= to, got " + f + ".." + t);
        }
        return SeqRange.between(f, t);
    }

    @Override
    public Integer call() {
        long max = Parsing.limit("--limit", limit);
        SeqRange seqs = range(from, to);
        KeyRange kr = keys.range(true);
        Output out = output();
        try (LogRead log = reader();
                LogIterator it =
                        keys.isSingleKey()
                                ? log.scan(keys.keyBytes(), seqs)
                                : bySequence ? log.scanBySequence(kr, seqs) : log.scan(kr, seqs)) {
            long n = 0;
            while (it.hasNext() && n < max) {
                out.entry(it.next(), raw);
                n++;
            }
        }
        return 0;
    }
}
