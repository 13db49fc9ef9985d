package dev.myelin.federation.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The order in which to try SRV targets (RFC 2782): lowest priority first; within a priority, a
 * weighted random draw without replacement, so a record of weight 3 comes first three times as
 * often as one of weight 1. Records of weight 0 come after the weighted ones of their priority, in
 * random order, which is how RFC 2782 lets them be "selected rarely".
 */
final class SrvOrder {
    private SrvOrder() {}

    static List<SrvRecord> order(List<SrvRecord> records, RandomGenerator random) {
        Map<Integer, List<SrvRecord>> byPriority = new TreeMap<>();
        for (SrvRecord record : records) {
            byPriority
                    .computeIfAbsent(record.priority(), p -> new ArrayList<>())
                    .add(record);
        }
        List<SrvRecord> ordered = new ArrayList<>(records.size());
        for (List<SrvRecord> group : byPriority.values()) {
            List<SrvRecord> weighted =
                    new ArrayList<>(group.stream().filter(r -> r.weight() > 0).toList());
            List<SrvRecord> unweighted =
                    new ArrayList<>(group.stream().filter(r -> r.weight() == 0).toList());
            // a stable starting order, so the same random draws give the same result
            weighted.sort(Comparator.comparing(SrvRecord::target).thenComparingInt(SrvRecord::port));
            long total = weighted.stream().mapToLong(SrvRecord::weight).sum();
            while (!weighted.isEmpty()) {
                long draw = random.nextLong(total);
                int i = 0;
                long sum = weighted.getFirst().weight();
                while (sum <= draw) {
                    i++;
                    sum += weighted.get(i).weight();
                }
                SrvRecord chosen = weighted.remove(i);
                total -= chosen.weight();
                ordered.add(chosen);
            }
            for (int i = unweighted.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                unweighted.set(j, unweighted.set(i, unweighted.get(j)));
            }
            ordered.addAll(unweighted);
        }
        return ordered;
    }
}
