package io.lsmlog.cli;

import io.lsmlog.LogWrite;
import io.lsmlog.RetentionResult;
import java.time.Duration;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "retention",
        mixinStandardHelpOptions = true,
        description = {
            "Run one retention pass now, dropping whole sealed segments that are too old or many.",
            "Drops the segments older than --max-age and/or the oldest while the log is larger",
            "than --max-bytes; never the newest segment. Needs the writer lock."
        })
final class RetentionCommand extends LogCommand {
    @Option(names = "--max-age", paramLabel = "D", description = "e.g. 7d, 12h, 30m.")
    String maxAge;

    @Option(names = "--max-bytes", paramLabel = "N", description = "e.g. 10GiB, 500MB, 1048576.")
    String maxBytes;

    @Override
    public Integer call() {
        if (maxAge == null && maxBytes == null) {
            throw new CliException("give --max-age and/or --max-bytes");
        }
        Duration age = maxAge == null ? null : Parsing.duration("--max-age", maxAge);
        long bytes = maxBytes == null ? 0 : Parsing.size("--max-bytes", maxBytes);
        if (age != null && (age.isZero() || age.isNegative())) {
            throw new CliException("--max-age must be positive");
        }
        try (LogWrite log = writer()) {
            RetentionResult r = log.applyRetention(age, bytes);
            String ids =
                    r.dropped().stream()
                            .map(s -> String.valueOf(s.id()))
                            .collect(Collectors.joining(","));
            output().record(
                            r.dropped().isEmpty()
                                    ? "nothing to drop ("
                                            + Output.n(log.segments().size(), "segment")
                                            + " kept)"
                                    : "dropped segments "
                                            + ids
                                            + "; bytes on disk "
                                            + Output.n(r.bytesBefore())
                                            + " -> "
                                            + Output.n(r.bytesAfter()),
                            Output.fields(
                                    "dropped", r.dropped().size(),
                                    "dropped_ids", ids,
                                    "first_kept_sequence",
                                            log.segments().isEmpty()
                                                    ? null
                                                    : log.segments().get(0).startSequence(),
                                    "bytes_before", r.bytesBefore(),
                                    "bytes_after", r.bytesAfter()));
            return 0;
        }
    }
}
