package io.lsmlog.flink.table;

import java.math.BigDecimal;
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
 * Turns SQL predicates on the {@code sequence} metadata column into the sequence range the source
 * reads: {@code seq >= 100 AND seq < 200} reads only sequences 100..199, skipping the segments
 * before and — for a bounded table — stopping after. Comparisons, {@code =}, {@code BETWEEN}, and
 * AND / OR of those. The planner still applies every predicate; this only narrows what is read.
 */
final class SequenceFilters {
    private SequenceFilters() {}

    /** A half-open range of sequences, {@code [from, to)}. */
    record Bounds(long from, long to) {
        static final Bounds ALL = new Bounds(0, Long.MAX_VALUE);

        Bounds intersect(Bounds o) {
            return new Bounds(Math.max(from, o.from), Math.min(to, o.to));
        }

        Bounds hull(Bounds o) {
            return new Bounds(Math.min(from, o.from), Math.max(to, o.to));
        }
    }

    /** The sequences one conjunct allows, or empty if it says nothing about the sequence. */
    static Optional<Bounds> toBounds(ResolvedExpression e, String column) {
        if (column == null || !(e instanceof CallExpression call)) {
            return Optional.empty();
        }
        FunctionDefinition f = call.getFunctionDefinition();
        List<ResolvedExpression> args = call.getResolvedChildren();
        if (f == BuiltInFunctionDefinitions.AND) {
            Optional<Bounds> a = toBounds(args.get(0), column);
            Optional<Bounds> b = toBounds(args.get(1), column);
            if (a.isPresent() && b.isPresent()) {
                return Optional.of(a.get().intersect(b.get()));
            }
            return a.isPresent() ? a : b;
        }
        if (f == BuiltInFunctionDefinitions.OR) {
            Optional<Bounds> a = toBounds(args.get(0), column);
            Optional<Bounds> b = toBounds(args.get(1), column);
            return a.isPresent() && b.isPresent()
                    ? Optional.of(a.get().hull(b.get()))
                    : Optional.empty();
        }
        if (args.size() != 2 || !isColumn(args.get(0), column)) {
            return Optional.empty();
        }
        Optional<Long> lit = literal(args.get(1));
        if (lit.isEmpty()) {
            return Optional.empty();
        }
        long v = lit.get();
        if (v < 0) {
            // Sequences are never negative: seq > -5 is all, seq < -5 nothing.
            v = -1;
        }
        if (f == BuiltInFunctionDefinitions.EQUALS) {
            return Optional.of(v < 0 ? new Bounds(0, 0) : new Bounds(v, v + 1));
        }
        if (f == BuiltInFunctionDefinitions.GREATER_THAN_OR_EQUAL) {
            return Optional.of(new Bounds(Math.max(0, v), Long.MAX_VALUE));
        }
        if (f == BuiltInFunctionDefinitions.GREATER_THAN) {
            return Optional.of(new Bounds(v + 1, Long.MAX_VALUE));
        }
        if (f == BuiltInFunctionDefinitions.LESS_THAN) {
            return Optional.of(new Bounds(0, Math.max(0, v)));
        }
        if (f == BuiltInFunctionDefinitions.LESS_THAN_OR_EQUAL) {
            return Optional.of(new Bounds(0, v + 1));
        }
        return Optional.empty();
    }

    /** The column, possibly cast to another exact integer type (the planner adds such casts). */
    private static boolean isColumn(ResolvedExpression e, String column) {
        if (e instanceof FieldReferenceExpression ref) {
            return ref.getName().equals(column);
        }
        return e instanceof CallExpression cast
                && cast.getFunctionDefinition() == BuiltInFunctionDefinitions.CAST
                && cast.getOutputDataType().getLogicalType().is(LogicalTypeFamily.INTEGER_NUMERIC)
                && isColumn(cast.getResolvedChildren().get(0), column);
    }

    private static Optional<Long> literal(ResolvedExpression e) {
        if (!(e instanceof ValueLiteralExpression lit)
                || !lit.getOutputDataType()
                        .getLogicalType()
                        .is(LogicalTypeFamily.INTEGER_NUMERIC)) {
            return Optional.empty();
        }
        Optional<Long> l = lit.getValueAs(Long.class);
        if (l.isPresent()) {
            return l;
        }
        Optional<Integer> i = lit.getValueAs(Integer.class);
        if (i.isPresent()) {
            return Optional.of(i.get().longValue());
        }
        return lit.getValueAs(BigDecimal.class).map(BigDecimal::longValueExact);
    }
}
