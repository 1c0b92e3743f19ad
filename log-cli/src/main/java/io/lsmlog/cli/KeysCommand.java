package io.lsmlog.cli;

import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.LogReader;
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
        try (LogReader log = reader();
                KeyIterator it =
                        log.keys(prefix == null ? KeyRange.all() : KeyRange.prefix(prefix))) {
            long n = 0;
            while (it.hasNext() && n < max) {
                byte[] k = it.next();
                String utf8 = io.lsmlog.Printable.utf8OrNull(k);
                boolean text = utf8 != null && !utf8.startsWith(Output.BASE64);
                out.record(
                        Output.text(k),
                        Output.fields(
                                "key",
                                text ? utf8 : java.util.Base64.getEncoder().encodeToString(k),
                                "key_encoding",
                                text ? "utf8" : "base64"));
                n++;
            }
        }
        return 0;
    }
}
