package io.lsmlog.cli;

import io.lsmlog.KeyRange;
import io.lsmlog.LogRead;
import io.lsmlog.SeqRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "count",
        mixinStandardHelpOptions = true,
        description =
                "Count the entries of a KEY, of keys with a --prefix, or of a key range (exact).")
final class CountCommand extends LogCommand {
    @Mixin KeySelection keys;

    @Option(names = "--from", paramLabel = "SEQ", description = "First sequence (inclusive).")
    Long from;

    @Option(names = "--to", paramLabel = "SEQ", description = "Last sequence (exclusive).")
    Long to;

    @Override
    public Integer call() {
        SeqRange seqs = ScanCommand.range(from, to);
        KeyRange kr = keys.range(true);
        try (LogRead log = reader()) {
            long n = keys.isSingleKey() ? log.count(keys.keyBytes(), seqs) : log.count(kr, seqs);
            output().record(String.valueOf(n), Output.fields("count", n));
        }
        return 0;
    }
}
