package io.lsmlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/** What a log should hold: every appended entry, for comparing scans against. */
final class Model {
    final TreeMap<byte[], List<LogEntry>> byKey = new TreeMap<>(Arrays::compareUnsigned);
    final List<LogEntry> all = new ArrayList<>();

    void add(List<Record> records, AppendResult r) {
        long seq = r.firstSequence();
        for (Record rec : records) {
            LogEntry e =
                    new LogEntry(
                            rec.key(),
                            seq++,
                            rec.hasTimestamp() ? rec.timestamp() : r.appendTime(),
                            rec.value());
            byKey.computeIfAbsent(rec.key(), k -> new ArrayList<>()).add(e);
            all.add(e);
        }
    }

    List<LogEntry> key(byte[] key, SeqRange range) {
        return byKey.getOrDefault(key, List.of()).stream()
                .filter(e -> range.contains(e.sequence()))
                .toList();
    }

    /** Entries of the key range ordered by key, then sequence. */
    List<LogEntry> keyRangeByKey(KeyRange keys, SeqRange range) {
        return all.stream()
                .filter(e -> keys.contains(e.key()) && range.contains(e.sequence()))
                .sorted(
                        Comparator.<LogEntry, byte[]>comparing(
                                        LogEntry::key, Arrays::compareUnsigned)
                                .thenComparingLong(LogEntry::sequence))
                .toList();
    }

    List<LogEntry> keyRangeBySequence(KeyRange keys, SeqRange range) {
        return all.stream()
                .filter(e -> keys.contains(e.key()) && range.contains(e.sequence()))
                .toList();
    }

    static List<LogEntry> drain(LogIterator it) {
        List<LogEntry> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    static List<byte[]> drain(KeyIterator it) {
        List<byte[]> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** Groups entries by key preserving order: what a key-range scan must equal per key. */
    static TreeMap<byte[], List<LogEntry>> perKey(List<LogEntry> entries) {
        TreeMap<byte[], List<LogEntry>> m = new TreeMap<>(Arrays::compareUnsigned);
        for (LogEntry e : entries) {
            m.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }
        return m;
    }
}
