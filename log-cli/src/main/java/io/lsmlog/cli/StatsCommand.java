package io.lsmlog.cli;

import io.lsmlog.KeyIterator;
import io.lsmlog.KeyRange;
import io.lsmlog.LogRead;
import io.lsmlog.SeqRange;
import picocli.CommandLine.Command;

@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = {
            "Entries, keys, segments, bytes on disk and the next sequence.",
            "Write amplification is not shown: RocksDB counts the bytes it wrote per process,",
            "so only the writer knows them (see bin/bench and LogConfig.statistics)."
        })
final class StatsCommand extends LogCommand {
    @Override
    public Integer call() {
        try (LogRead log = reader()) {
            long entries = log.count(KeyRange.all(), SeqRange.all());
            long keys = 0;
            try (KeyIterator it = log.keys(KeyRange.all())) {
                while (it.hasNext()) {
                    it.next();
                    keys++;
                }
            }
            int segments = log.segments().size();
            long bytes = log.diskBytes();
            long next = log.nextSequence();
            output().record(
                            String.join(
                                    System.lineSeparator(),
                                    "entries        " + Output.n(entries),
                                    "keys           " + Output.n(keys),
                                    "segments       " + Output.n(segments),
                                    "bytes on disk  " + Output.n(bytes),
                                    "next sequence  " + next),
                            Output.fields(
                                    "entries", entries,
                                    "keys", keys,
                                    "segments", segments,
                                    "disk_bytes", bytes,
                                    "next_sequence", next));
        }
        return 0;
    }
}
