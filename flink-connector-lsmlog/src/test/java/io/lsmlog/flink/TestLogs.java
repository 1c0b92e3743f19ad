package io.lsmlog.flink;

import io.lsmlog.KeyRange;
import io.lsmlog.Log;
import io.lsmlog.LogConfig;
import io.lsmlog.LogEntry;
import io.lsmlog.LogIterator;
import io.lsmlog.LogReader;
import io.lsmlog.Record;
import io.lsmlog.SeqRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Helpers for reading logs in tests. */
public final class TestLogs {
    private TestLogs() {}

    /** Every entry in sequence order, read with a fresh LogReader. */
    public static List<LogEntry> all(Path dir) {
        try (LogReader r = LogReader.open(LogConfig.builder(dir).build())) {
            List<LogEntry> out = new ArrayList<>();
            try (LogIterator it = r.scanBySequence(KeyRange.all(), SeqRange.all())) {
                it.forEachRemaining(out::add);
            }
            return out;
        }
    }

    /** Values per key, in sequence order. */
    public static Map<String, List<String>> valuesByKey(List<LogEntry> entries) {
        Map<String, List<String>> m = new TreeMap<>();
        for (LogEntry e : entries) {
            m.computeIfAbsent(e.keyString(), k -> new ArrayList<>()).add(e.valueString());
        }
        return m;
    }

    /** A short description of how two per-key value maps differ ("" when equal). */
    public static String diff(
            Map<String, List<String>> expected, Map<String, List<String>> actual) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (String k : expected.keySet()) {
            List<String> e = expected.get(k);
            List<String> a = actual.getOrDefault(k, List.of());
            if (!e.equals(a) && shown++ < 5) {
                int i = 0;
                while (i < Math.min(e.size(), a.size()) && e.get(i).equals(a.get(i))) {
                    i++;
                }
                sb.append(k)
                        .append(": expected ")
                        .append(e.size())
                        .append(" got ")
                        .append(a.size())
                        .append(", first difference at ")
                        .append(i)
                        .append(": expected ")
                        .append(i < e.size() ? e.get(i) : "-")
                        .append(" got ")
                        .append(i < a.size() ? a.subList(i, Math.min(a.size(), i + 4)) : "-")
                        .append('\n');
            }
        }
        for (String k : actual.keySet()) {
            if (!expected.containsKey(k)) {
                sb.append("unexpected key ").append(k).append('\n');
            }
        }
        return sb.toString();
    }

    public static Log open(Path dir, long rollBytes) {
        return Log.open(LogConfig.builder(dir).segmentRollBytes(rollBytes).build());
    }

    /** Writes `count` records over `keys` keys, value "key:i" with i increasing per key. */
    public static List<LogEntry> populate(Path dir, int count, int keys, long rollBytes) {
        try (Log log = open(dir, rollBytes)) {
            int[] perKey = new int[keys];
            for (int done = 0; done < count; ) {
                List<Record> batch = new ArrayList<>();
                for (int i = 0; i < 37 && done < count; i++, done++) {
                    int k = (done * 7919) % keys;
                    batch.add(Record.of("key-" + k, "key-" + k + ":" + perKey[k]++));
                }
                log.append(batch);
            }
        }
        return all(dir);
    }
}
