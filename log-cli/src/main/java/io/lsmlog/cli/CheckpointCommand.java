package io.lsmlog.cli;

import io.lsmlog.Log;
import io.lsmlog.LogWrite;
import io.lsmlog.client.RemoteLog;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "checkpoint",
        mixinStandardHelpOptions = true,
        description = {
            "Write a consistent point-in-time copy of the log to DEST (hard links where possible).",
            "Needs the writer lock: run it while no other process writes the log."
        })
final class CheckpointCommand extends LogCommand {
    @Parameters(
            index = "0",
            paramLabel = "DEST",
            description = "Where to write the copy (must not exist).")
    Path dest;

    @Override
    public Integer call() {
        try (LogWrite log = writer()) {
            if (log instanceof RemoteLog remote) {
                // The server writes the copy: DEST is a path on its machine.
                remote.checkpoint(dest.toString());
            } else {
                ((Log) log).checkpoint(dest);
            }
            output().record(
                            "checkpoint up to sequence "
                                    + log.nextSequence()
                                    + " written to "
                                    + dest.toAbsolutePath(),
                            Output.fields(
                                    "checkpoint",
                                    dest.toAbsolutePath().toString(),
                                    "next_sequence",
                                    log.nextSequence()));
        }
        return 0;
    }
}
