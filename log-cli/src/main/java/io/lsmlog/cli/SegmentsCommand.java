package io.lsmlog.cli;

import io.lsmlog.LogRead;
import io.lsmlog.Segment;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;

@Command(
        name = "segments",
        mixinStandardHelpOptions = true,
        description = "List the live segments: id, start sequence, start time, approximate size.")
final class SegmentsCommand extends LogCommand {
    @Override
    public Integer call() {
        Output out = output();
        try (LogRead log = reader()) {
            List<Segment> segs = log.segments();
            if (!out.json()) {
                out.record(
                        String.format(
                                "%-8s %-16s %-26s %s",
                                "id", "start_sequence", "start_time", "approx_bytes"),
                        null);
            }
            for (Segment s : segs) {
                long bytes = log.approximateBytes(s);
                out.record(
                        String.format(
                                "%-8d %-16d %-26s %d",
                                s.id(),
                                s.startSequence(),
                                Instant.ofEpochMilli(s.startTime()),
                                bytes),
                        Output.fields(
                                "id", s.id(),
                                "start_sequence", s.startSequence(),
                                "start_time", s.startTime(),
                                "approx_bytes", bytes));
            }
        }
        return 0;
    }
}
