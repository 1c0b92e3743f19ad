package io.lsmlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * PNG charts of the benchmark results: {@code bin/bench charts [--results DIR] [--out DIR]}, and
 * after every {@code bin/bench} run for the file it wrote. Each chart is drawn from the results
 * files that exist ({@code bulk-latest.json}, {@code flink-kafka-latest.json}, {@code
 * append-latest.json}, {@code flink-tail-latest.json}, {@code tail-latest.json} — a later file's
 * scenario replaces an earlier one's — or a run's own file); charts whose data is missing are
 * skipped and said so.
 */
final class Charts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Color OURS = new Color(0x1f77b4);
    private static final Color KAFKA = new Color(0xff7f0e);
    private static final Color RAW = new Color(0x7f7f7f);

    private Charts() {}

    /** Scenario name to the date of its results, for the charts' subtitles. */
    private static final java.util.Map<String, String> dates = new java.util.HashMap<>();

    /** A chart with its title, and a subtitle naming the scenarios and dates it shows. */
    private static JFreeChart chart(
            String title, CategoryPlot plot, boolean legend, String... scenarios) {
        JFreeChart c = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
        List<String> parts = new ArrayList<>();
        for (String s : scenarios) {
            if (dates.containsKey(s)) {
                parts.add("bin/bench " + s + ", " + dates.get(s));
            }
        }
        c.addSubtitle(new org.jfree.chart.title.TextTitle(String.join("; ", parts)));
        return c;
    }

    public static void main(String[] args) throws IOException {
        Path results = Path.of("benchmarks", "results");
        Path out = Path.of("docs", "images");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: bin/bench charts [--results DIR] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        List<Path> written =
                render(
                        List.of(
                                results.resolve("bulk-latest.json"),
                                results.resolve("flink-kafka-latest.json"),
                                results.resolve("append-latest.json"),
                                results.resolve("flink-tail-latest.json"),
                                results.resolve("tail-latest.json")),
                        out);
        written.forEach(p -> System.out.println("chart written to " + p));
    }

    /** Draws every chart the files hold data for; returns the PNG files written. */
    static List<Path> render(List<Path> files, Path out) throws IOException {
        // Each scenario's results, with the date of the run that made them.
        com.fasterxml.jackson.databind.node.ObjectNode merged = JSON.createObjectNode();
        dates.clear();
        for (Path f : files) {
            if (Files.isRegularFile(f)) {
                JsonNode n = JSON.readTree(f.toFile());
                String date = n.path("date").asText("").replaceAll("T.*", "");
                n.fields()
                        .forEachRemaining(
                                e -> {
                                    if (e.getValue().isObject()) {
                                        merged.set(e.getKey(), e.getValue());
                                        dates.put(e.getKey(), date);
                                    }
                                });
            }
        }
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        draw(vsKafka(merged), out.resolve("vs-kafka.png"), 900, 520, written);
        draw(bulkThroughput(merged), out.resolve("bulk-throughput.png"), 900, 520, written);
        draw(appendByBatch(merged), out.resolve("append-by-batch.png"), 900, 480, written);
        draw(tailCost(merged), out.resolve("tail-cost.png"), 700, 420, written);
        draw(tailLatency(merged), out.resolve("tail-latency.png"), 700, 420, written);
        return written;
    }

    private static void draw(JFreeChart chart, Path file, int w, int h, List<Path> written)
            throws IOException {
        if (chart == null) {
            System.out.println("chart " + file.getFileName() + " skipped: no results for it");
            return;
        }
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        ChartUtils.saveChartAsPNG(file.toFile(), chart, w, h);
        written.add(file);
    }

    /** Ours ÷ Kafka for every measure both ran, with the 1.0 line: right of it we are faster. */
    static JFreeChart vsKafka(JsonNode r) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (String size : List.of("100 B", "1024 B")) {
            JsonNode b = r.path("bulk").path(size);
            add(d, b.path("scan").path("ours/Kafka"), "full scan " + size);
            add(d, b.path("scan").path("sequence/Kafka"), "sequence-order scan " + size);
            add(d, b.path("append").path("pipelined ours/Kafka"), "append pipelined " + size);
            add(d, b.path("append").path("blocking ours/Kafka"), "append blocking " + size);
        }
        JsonNode f = r.path("flink-kafka");
        for (String m :
                List.of(
                        "sink at-least-once-p1",
                        "sink at-least-once-p2",
                        "sink exactly-once-p1",
                        "sink exactly-once-p2",
                        "source p1",
                        "source p2")) {
            add(d, f.path(m + " ratio"), "Flink " + m.replace("-p", " p="));
        }
        if (d.getColumnCount() == 0) {
            return null;
        }
        CategoryPlot plot = barPlot(d, "ours ÷ Kafka (higher is better)", false);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        ValueMarker one = new ValueMarker(1.0, Color.DARK_GRAY, new BasicStroke(1.5f));
        plot.addRangeMarker(one);
        ((BarRenderer) plot.getRenderer()).setSeriesPaint(0, OURS);
        return chart(
                "lsmlog against a Kafka 4.4 broker, one run each",
                plot,
                false,
                "bulk",
                "flink-kafka");
    }

    /** Records per second of ours, raw RocksDB and Kafka for the bulk paths at 100 B. */
    static JFreeChart bulkThroughput(JsonNode r) {
        JsonNode b = r.path("bulk").path("100 B");
        if (b.isMissingNode()) {
            return null;
        }
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        add(d, b.path("append").path("ours blocking rec/s"), "lsmlog", "append, blocking");
        add(
                d,
                b.path("append").path("raw RocksDB blocking rec/s"),
                "raw RocksDB",
                "append, blocking");
        add(d, b.path("append").path("Kafka blocking rec/s"), "Kafka", "append, blocking");
        add(d, b.path("append").path("ours pipelined rec/s"), "lsmlog", "append, pipelined");
        add(d, b.path("append").path("Kafka pipelined rec/s"), "Kafka", "append, pipelined");
        add(d, b.path("scan").path("ours key-range rec/s"), "lsmlog", "full scan");
        add(d, b.path("scan").path("raw RocksDB rec/s"), "raw RocksDB", "full scan");
        add(d, b.path("scan").path("Kafka consumer rec/s"), "Kafka", "full scan");
        add(d, b.path("scan").path("ours sequence-order rec/s"), "lsmlog", "sequence-order scan");
        CategoryPlot plot = barPlot(d, "records per second", true);
        colour(plot, d);
        return chart("Bulk paths, 2,000,000 × 100 B, 1,000 keys", plot, true, "bulk");
    }

    /** Append records/s by batch size, ours and raw RocksDB, for each value size, sync off. */
    static JFreeChart appendByBatch(JsonNode r) {
        JsonNode a = r.path("append");
        if (a.isMissingNode()) {
            return null;
        }
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (String size : List.of("100 B", "1024 B")) {
            for (String sync : List.of("sync off", "sync on")) {
                for (String batch : List.of("1", "10", "100", "500")) {
                    JsonNode row = a.path("value " + size + ", batch " + batch + ", " + sync);
                    add(d, row.path("ratio"), size + ", " + sync, batch);
                }
            }
        }
        if (d.getColumnCount() == 0) {
            return null;
        }
        LineAndShapeRenderer lines = new LineAndShapeRenderer();
        CategoryPlot plot =
                new CategoryPlot(
                        d,
                        new CategoryAxis("records per append"),
                        new NumberAxis("ours ÷ raw RocksDB (one row per record)"),
                        lines);
        style(plot);
        plot.addRangeMarker(new ValueMarker(1.0, Color.DARK_GRAY, new BasicStroke(1.5f)));
        BasicStroke dashed =
                new BasicStroke(
                        2f,
                        BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER,
                        1f,
                        new float[] {6f, 4f},
                        0f);
        for (int i = 0; i < d.getRowCount(); i++) {
            String series = String.valueOf(d.getRowKey(i));
            lines.setSeriesPaint(i, series.startsWith("100 B") ? OURS : KAFKA);
            lines.setSeriesStroke(i, series.endsWith("sync on") ? dashed : new BasicStroke(2f));
        }
        return chart("Append: ours ÷ raw RocksDB by batch and value size", plot, true, "append");
    }

    /** What a tailing reader pays per round at 10 and 100,000 keys, against a key-range scan. */
    static JFreeChart tailCost(JsonNode r) {
        JsonNode t = r.path("tail").path("cost");
        if (t.isMissingNode()) {
            return null;
        }
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (String keys : List.of("10", "100000")) {
            add(
                    d,
                    t.path("keys=" + keys + " write-index ms"),
                    "lsmlog (write index)",
                    keys + " keys");
            add(
                    d,
                    t.path("keys=" + keys + " key-range-scan baseline ms"),
                    "key-range scan baseline",
                    keys + " keys");
        }
        CategoryPlot plot = barPlot(d, "ms to read what is new", false);
        colour(plot, d);
        return chart("Tailing cost against the number of keys", plot, true, "tail");
    }

    /** Append-to-delivery latency percentiles of a tailing reader, in and across processes. */
    static JFreeChart tailLatency(JsonNode r) {
        JsonNode t = r.path("tail");
        if (t.path("latency in-process").isMissingNode()) {
            return null;
        }
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (String where : List.of("in-process", "cross-process")) {
            JsonNode l = t.path("latency " + where);
            for (String p : List.of("median", "p99", "p99.9")) {
                JsonNode us = l.path(p + " us");
                if (us.isNumber()) {
                    d.addValue(us.doubleValue() / 1000, where, p);
                }
            }
        }
        CategoryPlot plot = barPlot(d, "ms from append to delivery", false);
        plot.getRenderer().setSeriesPaint(0, OURS);
        plot.getRenderer().setSeriesPaint(1, new Color(0x9ecae1));
        return chart("Tailing latency percentiles", plot, true, "tail");
    }

    private static void add(DefaultCategoryDataset d, JsonNode v, String column) {
        add(d, v, "ratio", column);
    }

    private static void add(DefaultCategoryDataset d, JsonNode v, String series, String column) {
        if (v.isNumber()) {
            d.addValue(v.doubleValue(), series, column);
        }
    }

    private static CategoryPlot barPlot(DefaultCategoryDataset d, String yLabel, boolean tilt) {
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        CategoryAxis x = new CategoryAxis();
        if (tilt) {
            x.setCategoryLabelPositions(
                    CategoryLabelPositions.createUpRotationLabelPositions(Math.PI / 6));
        }
        CategoryPlot plot = new CategoryPlot(d, x, new NumberAxis(yLabel), bars);
        style(plot);
        return plot;
    }

    private static void style(CategoryPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinesVisible(true);
    }

    /** The same colour for the same system in every chart. */
    private static void colour(CategoryPlot plot, DefaultCategoryDataset d) {
        for (int i = 0; i < d.getRowCount(); i++) {
            String s = String.valueOf(d.getRowKey(i));
            plot.getRenderer()
                    .setSeriesPaint(
                            i, s.startsWith("lsmlog") ? OURS : s.startsWith("Kafka") ? KAFKA : RAW);
        }
    }
}
