package io.lsmlog.cli;

import io.lsmlog.AppendResult;
import io.lsmlog.LogWrite;
import io.lsmlog.Record;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "append",
        mixinStandardHelpOptions = true,
        description = {
            "Append one record (KEY VALUE) or many (--file F), creating the log if needed.",
            "A file holds one record per line, KEY<TAB>VALUE; '-' reads stdin."
        })
final class AppendCommand extends LogCommand {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "KEY",
            description = "The stream to append to (1..4096 bytes of UTF-8).")
    String key;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "VALUE",
            description = "The entry's value (UTF-8 text).")
    String value;

    @Option(
            names = "--file",
            paramLabel = "F",
            description = "Lines KEY<TAB>VALUE; '-' reads stdin.")
    String file;

    @Option(
            names = "--batch",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Records per append when reading a file (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws IOException {
        if ((file == null) == (key == null)) {
            throw new CliException("give either KEY VALUE or --file F");
        }
        if (key != null && value == null) {
            throw new CliException("missing VALUE after KEY '" + key + "'");
        }
        if (batch < 1 || batch > 100_000) {
            throw new CliException("--batch must be in [1, 100000], got " + batch);
        }
        Output out = output();
        try (LogWrite log = writer()) {
            if (key != null) {
                AppendResult r = log.append(List.of(Record.of(key, value)));
                out.record(
                        "appended sequence "
                                + r.firstSequence()
                                + " (segment "
                                + r.segmentId()
                                + ")",
                        Output.fields(
                                "count", 1,
                                "first_sequence", r.firstSequence(),
                                "last_sequence", r.lastSequence(),
                                "segment", r.segmentId()));
                return 0;
            }
            return appendFile(log, out);
        }
    }

    private int appendFile(LogWrite log, Output out) throws IOException {
        long first = -1;
        long last = -1;
        long count = 0;
        long started = System.nanoTime();
        long lastProgress = started;
        try (BufferedReader in = open()) {
            List<Record> records = new ArrayList<>(batch);
            String line;
            long lineNo = 0;
            while (true) {
                line = in.readLine();
                if (line != null) {
                    lineNo++;
                    if (line.isEmpty()) {
                        continue;
                    }
                    int tab = line.indexOf('\t');
                    if (tab <= 0) {
                        throw new CliException(
                                "line "
                                        + lineNo
                                        + ": expected KEY<TAB>VALUE"
                                        + (count > 0
                                                ? "; "
                                                        + count
                                                        + " records before it were appended (sequences "
                                                        + first
                                                        + ".."
                                                        + last
                                                        + ")"
                                                : "; nothing appended"));
                    }
                    records.add(Record.of(line.substring(0, tab), line.substring(tab + 1)));
                }
                if (records.size() >= batch || (line == null && !records.isEmpty())) {
                    AppendResult r = log.append(records);
                    first = first < 0 ? r.firstSequence() : first;
                    last = r.lastSequence();
                    count += records.size();
                    records.clear();
                    long now = System.nanoTime();
                    if (now - lastProgress > 1_000_000_000L) {
                        progress(
                                String.format(
                                        java.util.Locale.ROOT,
                                        "appended %,d records (%,.0f records/s)",
                                        count,
                                        count / ((now - started) / 1e9)));
                        lastProgress = now;
                    }
                }
                if (line == null) {
                    break;
                }
            }
        }
        double secs = (System.nanoTime() - started) / 1e9;
        out.record(
                count == 0
                        ? "appended 0 records (empty input)"
                        : String.format(
                                java.util.Locale.ROOT,
                                "appended %s: sequences %d..%d (%.1f s)",
                                Output.n(count, "record"),
                                first,
                                last,
                                secs),
                Output.fields(
                        "count", count,
                        "first_sequence", count == 0 ? null : first,
                        "last_sequence", count == 0 ? null : last));
        return 0;
    }

    private BufferedReader open() throws IOException {
        if (file.equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("--file: no such file " + file);
        }
    }
}
