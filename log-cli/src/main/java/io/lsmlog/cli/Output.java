package io.lsmlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lsmlog.LogEntry;
import io.lsmlog.Printable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints results as text or as JSON lines (one object per line). */
final class Output {
    private final PrintWriter out;
    private final OutputStream raw;
    private final boolean json;

    Output(PrintWriter out, OutputStream raw, boolean json) {
        this.out = out;
        this.raw = raw;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** A line of text, or the fields as one JSON object. */
    void record(String text, Map<String, Object> fields) {
        out.println(json ? toJson(fields) : text);
        out.flush();
    }

    static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * An entry. Text: {@code key TAB sequence TAB timestamp TAB value}, a key or value that is not
     * UTF-8 (or is UTF-8 starting with {@code base64:}) as {@code base64:} + base64, and in text a
     * backslash, tab, newline or carriage return as {@code \\ \t \n \r}, so one entry is one line
     * of four fields. With raw, the value bytes alone.
     */
    void entry(LogEntry e, boolean rawValues) {
        if (rawValues) {
            try {
                out.flush();
                raw.write(e.value());
                raw.write('\n');
                raw.flush();
            } catch (IOException ex) {
                throw new CliException("cannot write to stdout: " + ex.getMessage());
            }
            return;
        }
        Bytes key = Bytes.of(e.key());
        String head =
                key.field()
                        + "\t"
                        + e.sequence()
                        + "\t"
                        + Instant.ofEpochMilli(e.timestamp())
                        + "\t";
        Map<String, Object> f =
                fields(
                        "key", key.string(),
                        "key_encoding", key.encoding(),
                        "sequence", e.sequence(),
                        "timestamp", e.timestamp());
        if (e.tombstone()) {
            // A delete has no value: text says so, JSON has a null value and "deleted".
            f.put("value", null);
            f.put("deleted", true);
            record(head + "(deleted)", f);
            return;
        }
        Bytes value = Bytes.of(e.value());
        f.put("value", value.string());
        f.put("value_encoding", value.encoding());
        record(head + value.field(), f);
    }

    private static final String BASE64 = "base64:";

    /**
     * Bytes as the CLI shows them: UTF-8 text, or base64 when they are not UTF-8 or are text that
     * starts with {@code base64:} (so the marker is never ambiguous).
     */
    record Bytes(String string, boolean utf8) {
        static Bytes of(byte[] b) {
            String s = Printable.utf8OrNull(b);
            return s != null && !s.startsWith(BASE64)
                    ? new Bytes(s, true)
                    : new Bytes(Base64.getEncoder().encodeToString(b), false);
        }

        /** For JSON's {@code *_encoding} fields. */
        String encoding() {
            return utf8 ? "utf8" : "base64";
        }

        /** For a text line: escaped text, or {@code base64:} + base64. */
        String field() {
            return utf8 ? escape(string) : BASE64 + string;
        }
    }

    /** Backslash, tab, newline and carriage return as two-character escapes. */
    static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc =
                    switch (c) {
                        case '\\' -> "\\\\";
                        case '\t' -> "\\t";
                        case '\n' -> "\\n";
                        case '\r' -> "\\r";
                        default -> null;
                    };
            if (esc != null && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                if (esc != null) {
                    sb.append(esc);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static final JsonFactory JSON = new JsonFactory();

    static String toJson(Map<String, Object> fields) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                Object v = e.getValue();
                if (v == null) {
                    g.writeNullField(e.getKey());
                } else if (v instanceof Long || v instanceof Integer) {
                    g.writeNumberField(e.getKey(), ((Number) v).longValue());
                } else if (v instanceof Number n) {
                    g.writeNumberField(e.getKey(), n.doubleValue());
                } else if (v instanceof Boolean b) {
                    g.writeBooleanField(e.getKey(), b);
                } else {
                    g.writeStringField(e.getKey(), v.toString());
                }
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        return w.toString();
    }

    /** Counts and sizes in messages: 1,234,567 (scan lines and JSON keep plain numbers). */
    static String n(long count) {
        return String.format(java.util.Locale.ROOT, "%,d", count);
    }

    /** "1 segment", "2 segments". */
    static String n(long count, String singular) {
        return n(count) + " " + singular + (count == 1 ? "" : "s");
    }
}
