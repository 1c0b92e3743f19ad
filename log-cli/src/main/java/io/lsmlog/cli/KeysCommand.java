package io.lsmlog.cli;

import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.LogRead;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "List the keys (streams) of the log.")
final class KeysCommand extends LogCommand {
    @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P.")
    String prefix;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N keys.")
    Long limit;

    @Override
    public Integer call() {
        long max = Parsing.limit("--limit", limit);
        Output out = output();
        try (LogRead log = reader();
                KeyIterator it =
                        log.keys(prefix == null ? KeyRange.all() : KeyRange.prefix(prefix))) {
            long n = 0;
            while (it.hasNext() && n < max) {
                Output.Bytes k = Output.Bytes.of(it.next());
                out.record(
                        k.field(), Output.fields("key", k.string(), "key_encoding", k.encoding()));
                n++;
            }
        }
        return 0;
    }
}
