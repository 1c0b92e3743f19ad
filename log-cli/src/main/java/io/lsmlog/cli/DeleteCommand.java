package io.lsmlog.cli;

import io.lsmlog.AppendResult;
import io.lsmlog.LogWrite;
import io.lsmlog.Record;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = {
            "Append a delete (a tombstone) for KEY: an upsert table reads the key as gone.",
            "The key's earlier entries stay in the log; scans show the tombstone as (deleted)."
        })
final class DeleteCommand extends LogCommand {
    @Parameters(
            index = "0",
            paramLabel = "KEY",
            description = "The stream whose key is deleted (1..4096 bytes of UTF-8).")
    String key;

    @Override
    public Integer call() {
        try (LogWrite log = writer()) {
            AppendResult r =
                    log.append(List.of(Record.delete(key.getBytes(StandardCharsets.UTF_8))));
            output().record(
                            "deleted " + key + " at sequence " + r.firstSequence(),
                            Output.fields(
                                    "key", key,
                                    "sequence", r.firstSequence(),
                                    "segment", r.segmentId()));
        }
        return 0;
    }
}
