package io.lsmlog.group;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who should read which range: balanced by the ranges' entry counts (each range also weighs 1, so
 * empty ranges spread too), sticky — a range stays with its owner while that keeps the owner within
 * its fair share — and deterministic.
 */
final class Assigner {
    private Assigner() {}

    /**
     * @param weights entries per range
     * @param current each range's owner or intended owner (null: none)
     * @param members live members, in any order
     * @return each range's target member (all null if there are no members)
     */
    static String[] assign(long[] weights, String[] current, List<String> members) {
        int n = weights.length;
        String[] target = new String[n];
        if (members.isEmpty()) {
            return target;
        }
        List<String> sorted = members.stream().sorted().toList();
        long total = 0;
        for (long w : weights) {
            total += w + 1;
        }
        long share = (total + sorted.size() - 1) / sorted.size();
        Map<String, Long> load = new HashMap<>();
        sorted.forEach(m -> load.put(m, 0L));
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(
                order,
                (a, b) ->
                        weights[a] != weights[b]
                                ? Long.compare(weights[b], weights[a])
                                : Integer.compare(a, b));
        for (int r : order) {
            String o = current[r];
            if (o != null && load.containsKey(o) && load.get(o) + weights[r] + 1 <= share) {
                target[r] = o;
                load.merge(o, weights[r] + 1, Long::sum);
            }
        }
        for (int r : order) {
            if (target[r] == null) {
                String least = sorted.get(0);
                for (String m : sorted) {
                    if (load.get(m) < load.get(least)) {
                        least = m;
                    }
                }
                target[r] = least;
                load.merge(least, weights[r] + 1, Long::sum);
            }
        }
        return target;
    }
}
