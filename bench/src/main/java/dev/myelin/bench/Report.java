package dev.myelin.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The result rows of a run, printed as a table and written as JSON. */
final class Report {

    /**
     * One figure. {@code ceiling} is the matching figure of a ceiling endpoint in the same run (NaN
     * when there is none), {@code ratio} is value ÷ ceiling.
     */
    record Row(
            String database,
            String scenario,
            String metric,
            double value,
            String unit,
            String ceilingName,
            double ceiling) {
        double ratio() {
            return Double.isNaN(ceiling) || ceiling == 0 ? Double.NaN : value / ceiling;
        }
    }

    final List<Row> rows = new ArrayList<>();
    final ObjectNode extra = MatrixHttp.obj();

    void add(String database, String scenario, String metric, double value, String unit) {
        add(database, scenario, metric, value, unit, "", Double.NaN);
    }

    void add(
            String database,
            String scenario,
            String metric,
            double value,
            String unit,
            String ceilingName,
            double ceiling) {
        Row row = new Row(database, scenario, metric, value, unit, ceilingName, ceiling);
        rows.add(row);
        System.err.println("  " + format(row));
    }

    static String format(Row r) {
        return String.format(
                Locale.ROOT,
                "%-8s %-17s %-52s %12s %-7s %-28s %10s %8s",
                r.database(),
                r.scenario(),
                r.metric(),
                num(r.value()),
                r.unit(),
                r.ceilingName(),
                num(r.ceiling()),
                Double.isNaN(r.ratio()) ? "" : String.format(Locale.ROOT, "%.3f", r.ratio()));
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    void print(PrintStream out) {
        out.println(String.format(
                Locale.ROOT,
                "%-8s %-17s %-52s %12s %-7s %-28s %10s %8s",
                "db",
                "scenario",
                "metric",
                "value",
                "unit",
                "ceiling",
                "ceil.val",
                "ratio"));
        for (Row r : rows) {
            out.println(format(r));
        }
    }

    void write(Path file, ObjectNode machine) throws Exception {
        ObjectNode root = MatrixHttp.obj();
        root.set("machine", machine);
        ArrayNode array = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode o = array.addObject();
            o.put("database", r.database())
                    .put("scenario", r.scenario())
                    .put("metric", r.metric())
                    .put("value", r.value())
                    .put("unit", r.unit());
            if (!Double.isNaN(r.ceiling())) {
                o.put("ceiling", r.ceilingName())
                        .put("ceiling_value", r.ceiling())
                        .put("ratio", r.ratio());
            }
        }
        root.set("details", extra);
        Files.createDirectories(file.getParent());
        MatrixHttp.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }
}
