package dev.myelin.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live objects of the server's heap by class, from {@code jcmd <pid> GC.class_histogram}
 * (which runs a full GC first, so only what is still reachable is counted): the largest classes by
 * bytes and the totals, to say what the memory after a scenario is made of.
 */
record HeapHistogram(List<Entry> top, long totalInstances, long totalBytes) {

    /** One class: its name as the JVM prints it ({@code [B} is {@code byte[]}), instances and bytes. */
    record Entry(String className, long instances, long bytes) {}

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

    /** Parses jcmd's output and keeps the {@code limit} classes with the most bytes. */
    static HeapHistogram parse(String jcmdOutput, int limit) {
        List<Entry> entries = new ArrayList<>();
        long instances = 0;
        long bytes = 0;
        for (String line : jcmdOutput.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                entries.add(new Entry(row.group(3), Long.parseLong(row.group(1)), Long.parseLong(row.group(2))));
                continue;
            }
            Matcher total = TOTAL.matcher(line);
            if (total.find()) {
                instances = Long.parseLong(total.group(1));
                bytes = Long.parseLong(total.group(2));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::bytes).reversed());
        return new HeapHistogram(List.copyOf(entries.subList(0, Math.min(limit, entries.size()))), instances, bytes);
    }
}
