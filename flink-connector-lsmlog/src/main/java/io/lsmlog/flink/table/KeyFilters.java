package io.lsmlog.flink.table;

import io.lsmlog.KeyRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.flink.table.expressions.CallExpression;
import org.apache.flink.table.expressions.FieldReferenceExpression;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.expressions.ValueLiteralExpression;
import org.apache.flink.table.functions.BuiltInFunctionDefinitions;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * Turns SQL predicates on the key column into key ranges the source reads, so a query for some keys
 * reads only those keys' entries: {@code key = 'x'}, {@code key IN (...)}, {@code key LIKE 'p%'},
 * comparisons, and AND / OR of those. The planner still applies every predicate; this only narrows
 * what is read.
 */
final class KeyFilters {
    private KeyFilters() {}

    /** Key ranges implied by one conjunct, or empty if it says nothing about the key. */
    static Optional<List<KeyRange>> toRanges(ResolvedExpression e, KeyColumns keyColumn) {
        if (!(e instanceof CallExpression call)) {
            return Optional.empty();
        }
        FunctionDefinition f = call.getFunctionDefinition();
        List<ResolvedExpression> args = call.getResolvedChildren();
        if (f == BuiltInFunctionDefinitions.AND) {
            Optional<List<KeyRange>> a = toRanges(args.get(0), keyColumn);
            Optional<List<KeyRange>> b = toRanges(args.get(1), keyColumn);
            if (a.isPresent() && b.isPresent()) {
                return Optional.of(intersect(a.get(), b.get()));
            }
            return a.isPresent() ? a : b;
        }
        if (f == BuiltInFunctionDefinitions.OR) {
            Optional<List<KeyRange>> a = toRanges(args.get(0), keyColumn);
            Optional<List<KeyRange>> b = toRanges(args.get(1), keyColumn);
            if (a.isEmpty() || b.isEmpty()) {
                return Optional.empty(); // one side is not about the key: the whole key space
            }
            List<KeyRange> u = new ArrayList<>(a.get());
            u.addAll(b.get());
            return Optional.of(u);
        }
        if (args.isEmpty() || !isKey(args.get(0), keyColumn)) {
            return Optional.empty();
        }
        if (f == BuiltInFunctionDefinitions.IN) {
            List<KeyRange> out = new ArrayList<>();
            for (ResolvedExpression v : args.subList(1, args.size())) {
                Optional<byte[]> b = literal(v);
                if (b.isEmpty()) {
                    return Optional.empty();
                }
                out.add(KeyRange.single(b.get()));
            }
            return Optional.of(out);
        }
        if (args.size() != 2) {
            return Optional.empty();
        }
        Optional<byte[]> lit = literal(args.get(1));
        if (lit.isEmpty()) {
            return Optional.empty();
        }
        byte[] v = lit.get();
        if (f == BuiltInFunctionDefinitions.EQUALS) {
            return Optional.of(List.of(KeyRange.single(v)));
        }
        if (f == BuiltInFunctionDefinitions.LIKE) {
            String p = new String(v, StandardCharsets.UTF_8);
            String body = p.endsWith("%") ? p.substring(0, p.length() - 1) : null;
            if (body == null || body.contains("%") || body.contains("_") || body.contains("\\")) {
                return Optional.empty();
            }
            return Optional.of(List.of(KeyRange.prefix(body)));
        }
        if (f == BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL) {
            return Optional.of(List.of(new KeyRange(v, null)));
        }
        if (f == BuiltInFunctionDefinitions.GREATER_THAN) {
            return Optional.of(List.of(new KeyRange(Arrays.copyOf(v, v.length + 1), null)));
        }
        if (f == BuiltInFunctionDefinitions.LESS_THAN) {
            return Optional.of(List.of(new KeyRange(null, v)));
        }
        if (f == BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL) {
            return Optional.of(List.of(new KeyRange(null, Arrays.copyOf(v, v.length + 1))));
        }
        return Optional.empty();
    }

    private static boolean isKey(ResolvedExpression e, KeyColumns keyColumns) {
        if (e instanceof FieldReferenceExpression ref) {
            return keyColumns.isKey(ref.getName());
        }
        // CAST(k AS STRING) on the BYTES key metadata column: UTF-8 strings compare as their bytes.
        return isCast(e, LogicalTypeFamily.CHARACTER_STRING)
                && keyMetadataBytes(((CallExpression) e).getResolvedChildren().get(0), keyColumns);
    }

    /** The key metadata column, possibly cast to BYTES again (the planner adds such casts). */
    private static boolean keyMetadataBytes(ResolvedExpression e, KeyColumns keyColumns) {
        if (e instanceof FieldReferenceExpression ref) {
            return keyColumns.isMetadata(ref.getName());
        }
        return isCast(e, LogicalTypeFamily.BINARY_STRING)
                && keyMetadataBytes(((CallExpression) e).getResolvedChildren().get(0), keyColumns);
    }

    private static boolean isCast(ResolvedExpression e, LogicalTypeFamily to) {
        return e instanceof CallExpression call
                && call.getFunctionDefinition() == BuiltInFunctionDefinitions.CAST
                && call.getOutputDataType().getLogicalType().is(to);
    }

    private static Optional<byte[]> literal(ResolvedExpression e) {
        if (e instanceof ValueLiteralExpression lit) {
            Optional<String> s = lit.getValueAs(String.class);
            if (s.isPresent()) {
                return Optional.of(s.get().getBytes(StandardCharsets.UTF_8));
            }
            return lit.getValueAs(byte[].class);
        }
        return Optional.empty();
    }

    /** Pairwise intersections of two unions of ranges (empty ones dropped). */
    static List<KeyRange> intersect(List<KeyRange> a, List<KeyRange> b) {
        List<KeyRange> out = new ArrayList<>();
        for (KeyRange x : a) {
            for (KeyRange y : b) {
                byte[] start = max(x.start(), y.start());
                byte[] end = min(x.end(), y.end());
                if (start == null || end == null || Arrays.compareUnsigned(start, end) < 0) {
                    out.add(new KeyRange(start, end));
                }
            }
        }
        return out;
    }

    private static byte[] max(byte[] a, byte[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static byte[] min(byte[] a, byte[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /** Unions that overlap would read a key twice: merge sorted overlapping ranges. */
    static List<KeyRange> normalize(List<KeyRange> ranges) {
        List<KeyRange> sorted = new ArrayList<>(ranges);
        sorted.sort(
                (x, y) ->
                        x.start() == null
                                ? -1
                                : y.start() == null
                                        ? 1
                                        : Arrays.compareUnsigned(x.start(), y.start()));
        List<KeyRange> out = new ArrayList<>();
        for (KeyRange r : sorted) {
            if (!out.isEmpty()) {
                KeyRange last = out.get(out.size() - 1);
                if (last.end() == null
                        || (r.start() != null
                                && Arrays.compareUnsigned(r.start(), last.end()) <= 0)) {
                    byte[] end =
                            last.end() == null || r.end() == null
                                    ? null
                                    : (Arrays.compareUnsigned(r.end(), last.end()) > 0
                                            ? r.end()
                                            : last.end());
                    out.set(out.size() - 1, new KeyRange(last.start(), end));
                    continue;
                }
                if (r.start() == null) {
                    byte[] end =
                            r.end() == null || last.end() == null ? null : max(r.end(), last.end());
                    out.set(out.size() - 1, new KeyRange(null, end));
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }
}
