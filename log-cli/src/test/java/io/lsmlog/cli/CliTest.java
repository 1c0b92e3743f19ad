package io.lsmlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.Record;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every command in-process through picocli and checks its output field by field. */
class CliTest {
    @TempDir Path tmp;

    record Result(int code, String out, String err, byte[] raw) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        List<Map<String, Object>> json() {
            return lines().stream().map(FlatJson::parse).toList();
        }
    }

    /** The environment the CLI sees: empty unless a test sets LSMLOG_DIR. */
    private final Map<String, String> env = new java.util.HashMap<>();

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
        int code =
                LsmLogCli.run(
                        args, o, new PrintWriter(err, true, StandardCharsets.UTF_8), out, env::get);
        o.flush();
        return new Result(
                code,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                out.toByteArray());
    }

    private Result runWithStdin(String stdin, String... args) {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(old);
        }
    }

    private String dir() {
        return tmp.resolve("log").toString();
    }

    @Test
    void appendOneRecordThenScanIt() {
        Result a = run("append", "--dir", dir(), "--json", "orders", "first order");
        assertThat(a.code).isZero();
        Map<String, Object> j = a.json().get(0);
        assertThat(j)
                .containsEntry("count", 1L)
                .containsEntry("first_sequence", 0L)
                .containsEntry("last_sequence", 0L)
                .containsEntry("segment", 0L);
        assertThat(run("append", "--dir", dir(), "orders", "second").out)
                .isEqualTo("appended sequence 1 (segment 0)\n");

        Result s = run("scan", "--dir", dir(), "--json", "orders");
        assertThat(s.code).isZero();
        List<Map<String, Object>> es = s.json();
        assertThat(es).hasSize(2);
        assertThat(es.get(0))
                .containsEntry("key", "orders")
                .containsEntry("sequence", 0L)
                .containsEntry("value", "first order")
                .containsEntry("value_encoding", "utf8");
        assertThat((Long) es.get(0).get("timestamp")).isPositive();
        assertThat(es.get(1)).containsEntry("sequence", 1L).containsEntry("value", "second");

        Result text = run("scan", "--dir", dir(), "orders", "--from", "1");
        assertThat(text.lines()).hasSize(1);
        assertThat(text.lines().get(0).split("\t"))
                .satisfies(
                        f -> {
                            assertThat(f[0]).isEqualTo("orders");
                            assertThat(f[1]).isEqualTo("1");
                            assertThat(f[3]).isEqualTo("second");
                        });
    }

    @Test
    void appendAFileThenScanRangesPrefixesLimitsAndRawValues() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            sb.append("user-").append(i % 5).append('\t').append("event ").append(i).append('\n');
        }
        sb.append("other\tx\n");
        Path f = tmp.resolve("in.tsv");
        Files.writeString(f, sb.toString());
        Result a =
                run("append", "--dir", dir(), "--json", "--file", f.toString(), "--batch", "700");
        assertThat(a.code).as(a.err).isZero();
        assertThat(a.json().get(0))
                .containsEntry("count", 2501L)
                .containsEntry("first_sequence", 0L)
                .containsEntry("last_sequence", 2500L);

        List<Map<String, Object>> p =
                run("scan", "--dir", dir(), "--json", "--prefix", "user-").json();
        assertThat(p).hasSize(2500);
        assertThat(p)
                .extracting(m -> m.get("key"))
                .containsOnly("user-0", "user-1", "user-2", "user-3", "user-4");

        List<Map<String, Object>> r =
                run(
                                "scan",
                                "--dir",
                                dir(),
                                "--json",
                                "--from-key",
                                "user-1",
                                "--to-key",
                                "user-3",
                                "--limit",
                                "3")
                        .json();
        assertThat(r).extracting(m -> m.get("key")).containsExactly("user-1", "user-1", "user-1");
        assertThat(r)
                .extracting(m -> m.get("value"))
                .containsExactly("event 1", "event 6", "event 11");

        List<Map<String, Object>> bySeq =
                run(
                                "scan",
                                "--dir",
                                dir(),
                                "--json",
                                "--prefix",
                                "user-",
                                "--by-sequence",
                                "--from",
                                "10",
                                "--to",
                                "13")
                        .json();
        assertThat(bySeq).extracting(m -> m.get("sequence")).containsExactly(10L, 11L, 12L);

        Result raw = run("scan", "--dir", dir(), "other", "--raw");
        assertThat(new String(raw.raw, StandardCharsets.UTF_8)).isEqualTo("x\n");

        assertThat(run("count", "--dir", dir(), "--prefix", "user-", "--json").json().get(0))
                .containsEntry("count", 2500L);
        assertThat(
                        run("count", "--dir", dir(), "user-3", "--from", "100", "--to", "200")
                                .out
                                .trim())
                .isEqualTo("20");
        assertThat(run("keys", "--dir", dir(), "--json").json())
                .extracting(m -> m.get("key"))
                .containsExactly("other", "user-0", "user-1", "user-2", "user-3", "user-4");
        assertThat(run("keys", "--dir", dir(), "--prefix", "user-", "--limit", "2").lines())
                .containsExactly("user-0", "user-1");
    }

    @Test
    void appendFromStdinAndReportABadLine() {
        Result ok = runWithStdin("a\t1\nb\t2\n", "append", "--dir", dir(), "--file", "-");
        assertThat(ok.code).isZero();
        assertThat(ok.out).startsWith("appended 2 records: sequences 0..1");
        Result bad = runWithStdin("c\t3\nno tab here\n", "append", "--dir", dir(), "--file", "-");
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err).isEqualTo("lsmlog: line 2: expected KEY<TAB>VALUE; nothing appended\n");
        assertThat(run("count", "--dir", dir()).out.trim()).isEqualTo("2");
    }

    @Test
    void nonUtf8ValuesAreBase64() {
        try (Log log = Log.open(LogConfig.builder(Path.of(dir())).build())) {
            log.append(List.of(new Record("bin".getBytes(), new byte[] {(byte) 0xFF, 0x00, 0x01})));
        }
        Map<String, Object> e = run("scan", "--dir", dir(), "--json", "bin").json().get(0);
        assertThat(e)
                .containsEntry("value_encoding", "base64")
                .containsEntry(
                        "value",
                        Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFF, 0x00, 0x01}));
        assertThat(run("scan", "--dir", dir(), "bin").out).contains("\tbase64:/wAB");
    }

    @Test
    void segmentsStatsCheckpointCloneAndRetention() throws Exception {
        long[] now = {1_000_000};
        LogConfig cfg =
                LogConfig.builder(Path.of(dir()))
                        .segmentRollInterval(Duration.ofSeconds(10))
                        .build();
        try (Log log = Log.open(cfg, new FixedClockForCli(now))) {
            for (int s = 0; s < 3; s++) {
                log.append(List.of(Record.of("k" + s, "v" + s), Record.of("shared", "s" + s)));
                now[0] += 10_000;
            }
        }
        List<Map<String, Object>> segs = run("segments", "--dir", dir(), "--json").json();
        assertThat(segs).extracting(m -> m.get("id")).containsExactly(0L, 1L, 2L);
        assertThat(segs).extracting(m -> m.get("start_sequence")).containsExactly(0L, 2L, 4L);
        assertThat(segs)
                .extracting(m -> m.get("start_time"))
                .containsExactly(1_000_000L, 1_010_000L, 1_020_000L);
        assertThat(segs)
                .allSatisfy(
                        m -> assertThat((Long) m.get("approx_bytes")).isGreaterThanOrEqualTo(0L));
        assertThat(run("segments", "--dir", dir()).lines().get(0)).startsWith("id");

        Map<String, Object> stats = run("stats", "--dir", dir(), "--json").json().get(0);
        assertThat(stats)
                .containsEntry("entries", 6L)
                .containsEntry("keys", 4L)
                .containsEntry("segments", 3L)
                .containsEntry("next_sequence", 6L);
        assertThat((Long) stats.get("disk_bytes")).isPositive();

        String cp = tmp.resolve("cp").toString();
        Map<String, Object> c = run("checkpoint", "--dir", dir(), "--json", cp).json().get(0);
        assertThat(c).containsEntry("next_sequence", 6L).containsEntry("checkpoint", cp);
        String clone = tmp.resolve("clone").toString();
        assertThat(run("clone", "--dir", dir(), "--json", cp, clone).json().get(0))
                .containsEntry("next_sequence", 6L);
        assertThat(run("append", "--dir", clone, "shared", "only-in-clone").code).isZero();
        var dbg = run("count", "--dir", clone, "shared");
        System.err.println("DBG " + dbg.code + " " + dbg.err);
        assertThat(run("count", "--dir", clone, "shared").out.trim()).isEqualTo("4");
        assertThat(run("count", "--dir", dir(), "shared").out.trim()).isEqualTo("3");

        // Segments 0 and 1 ended long ago: a 1-second max age drops them, never segment 2.
        Map<String, Object> r =
                run("retention", "--dir", dir(), "--json", "--max-age", "1s").json().get(0);
        assertThat(r)
                .containsEntry("dropped", 2L)
                .containsEntry("dropped_ids", "0,1")
                .containsEntry("first_kept_sequence", 4L);
        assertThat(run("scan", "--dir", dir(), "--json", "shared").json())
                .extracting(m -> m.get("value"))
                .containsExactly("s2");
    }

    @Test
    void errorsAreOneLineWithANonZeroExit() throws Exception {
        Result missing = run("scan", "--dir", tmp.resolve("nope").toString(), "k");
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err.trim())
                .startsWith("lsmlog: no log in ")
                .contains("nope")
                .doesNotContain("\n");
        assertThat(missing.out).isEmpty();

        run("append", "--dir", dir(), "k", "v");
        try (Log held = Log.open(LogConfig.builder(Path.of(dir())).build())) {
            Result locked = run("append", "--dir", dir(), "k", "w");
            assertThat(locked.code).isEqualTo(1);
            assertThat(locked.err.trim())
                    .contains("is locked by another writer")
                    .contains("read-only commands")
                    .doesNotContain("\tat ");
            // Read-only commands still work while the writer holds the log.
            assertThat(run("scan", "--dir", dir(), "k").code).isZero();
            Result verbose = run("append", "--dir", dir(), "--verbose", "k", "w");
            assertThat(verbose.err).contains("\tat "); // stack trace only with --verbose
        }

        Files.writeString(tmp.resolve("log").resolve("CURRENT"), "MANIFEST-777777\n");
        Result corrupt = run("scan", "--dir", dir(), "k");
        assertThat(corrupt.code).isEqualTo(1);
        assertThat(corrupt.err).startsWith("lsmlog: ").contains(dir());

        Result usage = run("scan", "--dir", dir(), "--from", "abc", "k");
        assertThat(usage.code).isEqualTo(2);
        assertThat(usage.err).contains("--from").contains("see 'lsmlog scan --help'");
        Result noDir = run("scan", "k");
        assertThat(noDir.code).isEqualTo(2);
        assertThat(noDir.err).contains("give the log directory: --dir DIR, or set LSMLOG_DIR");
        assertThat(run("retention", "--dir", dir()).err.trim())
                .isEqualTo("lsmlog: give --max-age and/or --max-bytes");
        assertThat(run("retention", "--dir", dir(), "--max-age", "soon").err)
                .contains("not a duration");
        assertThat(run("scan", "--dir", dir(), "--prefix", "a", "k").err)
                .contains("give one of KEY, --prefix");
        assertThat(run("tail", "--dir", dir()).err).contains("give a KEY, --prefix P");
        assertThat(run("bogus").code).isEqualTo(2);

        // Bad values the library would refuse are bad usage too (exit 2), named by option.
        Result emptyKey = run("scan", "--dir", dir(), "");
        assertThat(emptyKey.code).isEqualTo(2);
        assertThat(emptyKey.err).contains("KEY must not be empty");
        // Appending to the log whose CURRENT was damaged above says so (not "not a log").
        Result damaged = run("append", "--dir", dir(), "k", "v");
        assertThat(damaged.code).isEqualTo(1);
        assertThat(damaged.err).contains("corrupt log").contains("CURRENT");
        String fresh = tmp.resolve("fresh").toString();
        Result emptyAppend = run("append", "--dir", fresh, "", "v");
        assertThat(emptyAppend.code).isEqualTo(2);
        assertThat(emptyAppend.err).contains("key");
        Result zeroRefresh = run("tail", "--dir", dir(), "--refresh", "0ms", "k");
        assertThat(zeroRefresh.code).isEqualTo(2);
        assertThat(zeroRefresh.err).contains("--refresh must be > 0");
        for (String cmd : List.of("scan", "tail", "keys")) {
            Result negative =
                    cmd.equals("keys")
                            ? run(cmd, "--dir", dir(), "--limit", "-3")
                            : run(cmd, "--dir", dir(), "--limit", "-3", "k");
            assertThat(negative.code).as(cmd).isEqualTo(2);
            assertThat(negative.err).as(cmd).contains("--limit must be >= 0, got -3");
        }
    }

    @Test
    void commonOptionsGoBeforeOrAfterTheCommandAndLsmlogDirIsTheDefault() {
        assertThat(run("--dir", dir(), "append", "k", "v1").code).isZero();
        assertThat(run("append", "k", "v2", "--dir", dir()).code).isZero();
        assertThat(run("--json", "--dir", dir(), "scan", "k").json())
                .extracting(m -> m.get("value"))
                .containsExactly("v1", "v2");
        env.put("LSMLOG_DIR", dir());
        assertThat(run("scan", "--json", "k").json())
                .extracting(m -> m.get("value"))
                .containsExactly("v1", "v2");
        // --dir wins over the variable.
        Result other = run("--dir", tmp.resolve("other").toString(), "scan", "k");
        assertThat(other.code).isEqualTo(1);
        assertThat(other.err).contains("no log in").contains("other");
        // clone takes no --dir.
        assertThat(run("checkpoint", tmp.resolve("cp").toString()).code).isZero();
        env.clear();
        Result clone = run("clone", tmp.resolve("cp").toString(), tmp.resolve("fork").toString());
        assertThat(clone.code).isZero();
        assertThat(clone.out).contains("cloned").contains("next sequence 2");
    }

    @Test
    void textOutputEscapesControlCharactersAndMarksBase64KeysLikeValues() {
        byte[] binaryKey = {(byte) 0xff, 0x01};
        try (Log log = Log.open(LogConfig.builder(Path.of(dir())).build())) {
            log.append(
                    List.of(
                            Record.of("tab\tkey", "line1\nline2\\end\r"),
                            new Record(binaryKey, "v".getBytes(StandardCharsets.UTF_8)),
                            Record.of("plain", "base64:looks-encoded")));
        }
        List<String> lines = run("scan", "--dir", dir()).lines();
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            assertThat(line.split("\t", -1)).as(line).hasSize(4); // one entry, four fields
        }
        assertThat(lines)
                .anySatisfy(
                        l -> {
                            String[] f = l.split("\t");
                            assertThat(f[0]).isEqualTo("tab\\tkey");
                            assertThat(f[3]).isEqualTo("line1\\nline2\\\\end\\r");
                        })
                .anySatisfy(
                        l ->
                                assertThat(l.split("\t")[0])
                                        .isEqualTo(
                                                "base64:"
                                                        + Base64.getEncoder()
                                                                .encodeToString(binaryKey)))
                // text that starts like an encoding marker is printed encoded, never ambiguous
                .anySatisfy(
                        l ->
                                assertThat(l.split("\t")[3])
                                        .isEqualTo(
                                                "base64:"
                                                        + Base64.getEncoder()
                                                                .encodeToString(
                                                                        "base64:looks-encoded"
                                                                                .getBytes(
                                                                                        StandardCharsets
                                                                                                .UTF_8))));
        // JSON carries the values themselves and says how each is encoded.
        assertThat(run("scan", "--dir", dir(), "--json", "tab\tkey").json())
                .singleElement()
                .satisfies(
                        m -> {
                            assertThat(m.get("key")).isEqualTo("tab\tkey");
                            assertThat(m.get("value")).isEqualTo("line1\nline2\\end\r");
                            assertThat(m.get("value_encoding")).isEqualTo("utf8");
                        });
        assertThat(run("keys", "--dir", dir()).lines())
                .contains("tab\\tkey", "base64:" + Base64.getEncoder().encodeToString(binaryKey));
        assertThat(run("keys", "--dir", dir(), "--json").json())
                .extracting(m -> m.get("key_encoding"))
                .containsExactlyInAnyOrder("utf8", "utf8", "base64");
    }

    @Test
    void messagesGroupCountsAndSizesAndPluralizeWhileSequencesStayPlain() throws Exception {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            file.append("k").append(i % 3).append('\t').append("v").append(i).append('\n');
        }
        Path input = tmp.resolve("in.tsv");
        Files.writeString(input, file);
        assertThat(run("append", "--dir", dir(), "--file", input.toString()).out)
                .startsWith("appended 1,500 records: sequences 0..1499 (");
        assertThat(run("stats", "--dir", dir()).lines())
                .contains("entries        1,500", "keys           3", "segments       1")
                .contains("next sequence  1500");
        assertThat(run("retention", "--dir", dir(), "--max-age", "1d").out)
                .isEqualTo("nothing to drop (1 segment kept)\n");
    }

    @Test
    void deleteAppendsATombstoneThatScansShow() {
        run("append", "--dir", dir(), "k", "v1");
        assertThat(run("delete", "--dir", dir(), "k").out).isEqualTo("deleted k at sequence 1\n");
        assertThat(run("scan", "--dir", dir(), "k").lines())
                .hasSize(2)
                .last()
                .satisfies(l -> assertThat(l).startsWith("k\t1\t").endsWith("\t(deleted)"));
        assertThat(run("scan", "--dir", dir(), "k", "--json").lines().get(1))
                .contains("\"value\":null")
                .contains("\"deleted\":true");
    }

    @Test
    void groupsListDescribeResetAndDeleteWithExactLag() throws Exception {
        try (io.lsmlog.Log log =
                io.lsmlog.Log.open(
                        io.lsmlog.LogConfig.builder(java.nio.file.Path.of(dir())).build())) {
            List<io.lsmlog.Record> records = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                for (String k : List.of("a", "b", "c")) {
                    records.add(io.lsmlog.Record.of(k, k + i));
                }
            }
            log.append(records);
            io.lsmlog.GroupOptions options =
                    io.lsmlog.GroupOptions.defaults().withAutoCommit(false).withRanges(2);
            try (io.lsmlog.ReaderGroup member =
                    io.lsmlog.ReaderGroup.join(log, "billing", "m1", options)) {
                int read = 0;
                while (read < 30) {
                    read += member.poll(100, java.time.Duration.ofSeconds(5)).size();
                }
                member.commit();
                assertThat(read).isEqualTo(30);
            }
            log.append(List.of(io.lsmlog.Record.of("a", "late"), io.lsmlog.Record.of("c", "late")));
        }
        assertThat(run("groups", "list", "--dir", dir()).out)
                .isEqualTo("GROUP    RANGES  MEMBERS  LAG\nbilling  2       0        2\n");
        assertThat(run("groups", "list", "--dir", dir(), "--json").out)
                .isEqualTo("{\"group\":\"billing\",\"ranges\":2,\"members\":0,\"lag\":2}\n");
        Result described = run("groups", "describe", "billing", "--dir", dir());
        List<String> lines = described.out.lines().toList();
        assertThat(lines.get(0).split(" +"))
                .containsExactly(
                        "GROUP",
                        "RANGE",
                        "KEYS",
                        "POSITION",
                        "FRONTIER",
                        "LAG",
                        "OWNER",
                        "NEXT-OWNER");
        // Two ranges that cover every key, both read to 30; "a" and "c" got one more each.
        assertThat(lines).hasSize(5);
        String[] first = lines.get(1).split(" +");
        String[] second = lines.get(2).split(" +");
        assertThat(first[2]).startsWith("[-inf,");
        assertThat(second[3]).endsWith("+inf)");
        // From the right: NEXT-OWNER, OWNER, LAG, FRONTIER, POSITION.
        assertThat(List.of(first[first.length - 5], second[second.length - 5]))
                .containsExactly("30", "30");
        assertThat(List.of(first[first.length - 4], second[second.length - 4]))
                .containsExactly("32", "32");
        assertThat(
                        Long.parseLong(first[first.length - 3])
                                + Long.parseLong(second[second.length - 3]))
                .isEqualTo(2);
        assertThat(lines.get(4)).isEqualTo("group billing has no live members (total lag 2)");
        List<String> json =
                run("groups", "describe", "billing", "--dir", dir(), "--json").out.lines().toList();
        assertThat(json).hasSize(2);
        assertThat(json.get(0)).startsWith("{\"group\":\"billing\",\"range\":0,\"start\":null,");

        assertThat(run("groups", "reset", "billing", "--to", "sequence", "10", "--dir", dir()).out)
                .isEqualTo("reset group billing: 2 ranges to sequence 10, lag now 22\n");
        assertThat(run("groups", "reset", "billing", "--to", "latest", "--dir", dir()).out)
                .isEqualTo("reset group billing: 2 ranges to sequence 32, lag now 0\n");
        assertThat(run("groups", "reset", "billing", "--to", "earliest", "--dir", dir()).out)
                .isEqualTo("reset group billing: 2 ranges to sequence 0, lag now 32\n");
        assertThat(
                        run(
                                        "groups",
                                        "reset",
                                        "billing",
                                        "--to",
                                        "timestamp",
                                        "2999-01-01T00:00:00Z",
                                        "--dir",
                                        dir())
                                .out)
                .isEqualTo("reset group billing: 2 ranges to sequence 32, lag now 0\n");
        Result bad = run("groups", "reset", "billing", "--to", "banana", "--dir", dir());
        assertThat(bad.code).isEqualTo(2);
        assertThat(bad.err)
                .contains("--to takes earliest, latest, sequence N or timestamp T, got 'banana'");
        Result badTime =
                run("groups", "reset", "billing", "--to", "timestamp", "noon", "--dir", dir());
        assertThat(badTime.code).isEqualTo(2);
        assertThat(badTime.err).contains("ISO-8601");
        assertThat(run("groups", "describe", "nope", "--dir", dir()).err)
                .contains("no group 'nope'");
        assertThat(run("groups", "delete", "billing", "--dir", dir()).out)
                .isEqualTo("deleted group billing\n");
        Result none = run("groups", "list", "--dir", dir());
        assertThat(none.out).isEmpty();
        assertThat(none.err).isEqualTo("no groups\n");
    }

    @Test
    void stagingListsAndAbortsStagesThatWereNotCommitted() {
        try (io.lsmlog.Log log =
                io.lsmlog.Log.open(
                        io.lsmlog.LogConfig.builder(java.nio.file.Path.of(dir())).build())) {
            try (io.lsmlog.StageWriter w =
                    log.staging().open(new io.lsmlog.StageId("orders-sink", 1, 41))) {
                w.write(io.lsmlog.Record.of("k", "staged"));
                w.write(io.lsmlog.Record.of("k", "staged too"));
                w.seal();
            }
        }
        assertThat(run("staging", "list", "--dir", dir()).out)
                .isEqualTo("sink orders-sink  subtask 1  checkpoint 41  records 2  bytes 18\n");
        assertThat(run("staging", "list", "--dir", dir(), "--json").out)
                .isEqualTo(
                        "{\"sink\":\"orders-sink\",\"subtask\":1,\"checkpoint\":41,\"records\":2,\"bytes\":18}\n");
        Result missing =
                run(
                        "staging",
                        "abort",
                        "--dir",
                        dir(),
                        "--sink",
                        "orders-sink",
                        "--subtask",
                        "1",
                        "--checkpoint",
                        "40");
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("no stage of sink orders-sink subtask 1 checkpoint 40");
        assertThat(
                        run(
                                        "staging",
                                        "abort",
                                        "--dir",
                                        dir(),
                                        "--sink",
                                        "orders-sink",
                                        "--subtask",
                                        "1",
                                        "--checkpoint",
                                        "41")
                                .out)
                .isEqualTo("removed the stage of sink orders-sink subtask 1 checkpoint 41\n");
        Result empty = run("staging", "list", "--dir", dir());
        assertThat(empty.out).isEmpty();
        assertThat(empty.err).isEqualTo("no stages\n");
        assertThat(run("staging", "abort", "--dir", dir()).code).isEqualTo(2);
    }

    @Test
    void helpDescribesEveryArgumentAndListsEachCommandInAWholeSentence() {
        picocli.CommandLine cl = new picocli.CommandLine(new LsmLogCli());
        for (picocli.CommandLine sub : cl.getSubcommands().values()) {
            var spec = sub.getCommandSpec();
            if (spec.name().equals("help")) {
                continue;
            }
            String[] description = spec.usageMessage().description();
            assertThat(description).as(spec.name()).isNotEmpty();
            assertThat(description[0]).as("first line of %s", spec.name()).endsWith(".");
            for (var p : spec.positionalParameters()) {
                assertThat(p.description()).as("%s %s", spec.name(), p.paramLabel()).isNotEmpty();
            }
            for (var o : spec.options()) {
                assertThat(o.description()).as("%s %s", spec.name(), o.longestName()).isNotEmpty();
            }
        }
        // The command list shows each command's first line whole, never cut mid-sentence.
        String help = run("--help").out.replaceAll("\\s+", " ");
        for (picocli.CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandName().equals("help")) {
                continue;
            }
            String first = sub.getCommandSpec().usageMessage().description()[0];
            assertThat(help).contains(first.replaceAll("\\s+", " "));
        }
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd :
                List.of(
                        "append",
                        "scan",
                        "tail",
                        "keys",
                        "segments",
                        "count",
                        "stats",
                        "checkpoint",
                        "clone",
                        "retention")) {
            Result h = run(cmd, "--help");
            assertThat(h.code).as(cmd).isZero();
            assertThat(h.out).as(cmd).contains("Usage: lsmlog " + cmd).contains("--dir=DIR");
        }
        assertThat(run("--help").out).contains("append").contains("retention");
    }
}
