package io.lsmlog.cli;

import io.lsmlog.LogEntry;
import io.lsmlog.Printable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
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

    /** An entry: value as UTF-8 when valid, else base64; with raw, the value bytes alone. */
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
        String key = text(e.key());
        String value = Printable.utf8OrNull(e.value());
        String encoding = value == null ? "base64" : "utf8";
        if (value == null) {
            value = Base64.getEncoder().encodeToString(e.value());
        }
        record(
                key
                        + "\t"
                        + e.sequence()
                        + "\t"
                        + Instant.ofEpochMilli(e.timestamp())
                        + "\t"
                        + (encoding.equals("base64") ? "base64:" : "")
                        + value,
                fields(
                        "key",
                        key,
                        "key_encoding",
                        Printable.utf8OrNull(e.key()) == null ? "base64" : "utf8",
                        "sequence",
                        e.sequence(),
                        "timestamp",
                        e.timestamp(),
                        "value",
                        value,
                        "value_encoding",
                        encoding));
    }

    /** Keys as UTF-8 when valid, else base64. */
    static String text(byte[] b) {
        String s = Printable.utf8OrNull(b);
        return s != null ? s : Base64.getEncoder().encodeToString(b);
    }

    static String toJson(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(e.getKey(), sb);
            sb.append(':');
            Object v = e.getValue();
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                quote(v.toString(), sb);
            }
        }
        return sb.append('}').toString();
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
