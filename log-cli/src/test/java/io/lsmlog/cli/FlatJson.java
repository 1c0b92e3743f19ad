package io.lsmlog.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses one flat JSON object (strings, numbers, booleans, null) — enough to check CLI output. */
final class FlatJson {
    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s.trim();
    }

    static Map<String, Object> parse(String line) {
        return new FlatJson(line).object();
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        expect('{');
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            String k = string();
            expect(':');
            m.put(k, value());
            char c = s.charAt(i++);
            if (c == '}') {
                if (i != s.length()) {
                    throw new IllegalArgumentException("trailing text in " + s);
                }
                return m;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , at " + (i - 1) + " in " + s);
            }
        }
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        int start = i;
        while (i < s.length() && ",}".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        String t = s.substring(start, i);
        return switch (t) {
            case "null" -> null;
            case "true" -> true;
            case "false" -> false;
            default -> Long.parseLong(t);
        };
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
    }

    private char peek() {
        return s.charAt(i);
    }

    private void expect(char c) {
        if (s.charAt(i++) != c) {
            throw new IllegalArgumentException("expected " + c + " at " + (i - 1) + " in " + s);
        }
    }
}
