package io.lsmlog.cli;

import io.lsmlog.LogWrite;
import io.lsmlog.StageId;
import io.lsmlog.Staged;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "staging",
        mixinStandardHelpOptions = true,
        description = {
            "List or remove the exactly-once sink's stages that are not committed yet.",
            "A stage holds the records a sink subtask wrote for one checkpoint until the checkpoint",
            "completes; a stage of a job that never comes back stays until removed here. 'list'",
            "prints sink, subtask, checkpoint, records and bytes; 'abort' removes one stage. On a",
            "directory it needs the writer lock; through --url it works while the server runs."
        })
final class StagingCommand extends LogCommand {
    enum Action {
        list,
        abort
    }

    @Parameters(index = "0", paramLabel = "ACTION", description = "list or abort.")
    Action action;

    @Option(names = "--sink", paramLabel = "ID", description = "The sink id of the stage to abort.")
    String sink;

    @Option(
            names = "--subtask",
            paramLabel = "N",
            description = "The subtask of the stage to abort.")
    Integer subtask;

    @Option(
            names = "--checkpoint",
            paramLabel = "N",
            description = "The checkpoint of the stage to abort.")
    Long checkpoint;

    @Override
    public Integer call() {
        if (action == Action.abort && (sink == null || subtask == null || checkpoint == null)) {
            throw new CliException("staging abort needs --sink, --subtask and --checkpoint");
        }
        Output out = output();
        try (LogWrite log = writer()) {
            if (action == Action.list) {
                List<Staged> stages = log.staging().list();
                for (Staged s : stages) {
                    out.record(
                            "sink "
                                    + s.id().sinkId()
                                    + "  subtask "
                                    + s.id().subtask()
                                    + "  checkpoint "
                                    + s.id().checkpointId()
                                    + "  records "
                                    + Output.n(s.records())
                                    + "  bytes "
                                    + Output.n(s.bytes()),
                            Output.fields(
                                    "sink", s.id().sinkId(),
                                    "subtask", s.id().subtask(),
                                    "checkpoint", s.id().checkpointId(),
                                    "records", s.records(),
                                    "bytes", s.bytes()));
                }
                if (stages.isEmpty() && !out.json()) {
                    progress("no stages");
                }
                return 0;
            }
            StageId id = new StageId(sink, subtask, checkpoint);
            if (!log.staging().abort(id)) {
                throw new CliException(
                        "no stage of sink "
                                + sink
                                + " subtask "
                                + subtask
                                + " checkpoint "
                                + checkpoint);
            }
            out.record(
                    "removed the stage of sink "
                            + sink
                            + " subtask "
                            + subtask
                            + " checkpoint "
                            + checkpoint,
                    Output.fields(
                            "removed",
                            true,
                            "sink",
                            sink,
                            "subtask",
                            subtask,
                            "checkpoint",
                            checkpoint));
        }
        return 0;
    }
}
