package io.lsmlog.cli;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "clone",
        mixinStandardHelpOptions = true,
        description = {
            "Make DEST a new writable log from CHECKPOINT (a directory `checkpoint` wrote).",
            "Appends to either never show in the other; takes no --dir."
        })
final class CloneCommand extends LogCommand {
    @Parameters(
            index = "0",
            paramLabel = "CHECKPOINT",
            description = "A checkpoint directory, written by `lsmlog checkpoint`.")
    Path checkpoint;

    @Parameters(index = "1", paramLabel = "DEST", description = "The new log's directory.")
    Path dest;

    @Override
    public Integer call() {
        try (Log clone = Log.cloneFrom(checkpoint, LogConfig.builder(dest).build())) {
            output().record(
                            "cloned "
                                    + checkpoint
                                    + " to "
                                    + dest.toAbsolutePath()
                                    + " (next sequence "
                                    + clone.nextSequence()
                                    + ")",
                            Output.fields(
                                    "clone",
                                    dest.toAbsolutePath().toString(),
                                    "next_sequence",
                                    clone.nextSequence()));
        }
        return 0;
    }
}
