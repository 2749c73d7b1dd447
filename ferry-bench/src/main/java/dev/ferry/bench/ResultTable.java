package dev.ferry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the bench's one table: a header, a rule, one line per {@link Result}, columns padded to
 * their widest cell. Pure formatting (no I/O), so it is unit-tested.
 */
final class ResultTable {
    static final List<String> HEADER = List.of("scenario", "db", "Ferry", "baseline", "baseline time", "ratio", "target", "met",
            "rate", "peak heap", "live heap", "peak RSS", "note");

    private ResultTable() {
    }

    static String render(List<Result> results) {
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADER);
        for (Result r : results) {
            lines.add(cells(r));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < lines.size(); n++) {
            out.append(line(lines.get(n), width)).append('\n');
            if (n == 0) {
                List<String> rule = new ArrayList<>();
                for (int w : width) {
                    rule.add("-".repeat(w));
                }
                out.append(line(rule, width)).append('\n');
            }
        }
        return out.toString();
    }

    static List<String> cells(Result r) {
        Target t = r.target();
        return List.of(r.scenario(), r.database(),
                r.failure() != null ? "FAILED" : duration(r.ferry()),
                r.baselineName() == null ? "-" : r.baselineName(),
                duration(r.baseline()),
                r.ratio() == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.ratio()),
                t == null ? "-" : t.text(),
                r.met() == null ? "-" : r.met() ? "yes" : "NO",
                rate(r),
                bytes(r.memory().peakHeap()), bytes(r.memory().peakLive()), bytes(r.memory().peakRss()),
                r.failure() != null ? "FAILED: " + r.failure() : r.note() == null ? "" : r.note());
    }

    static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        double s = d.toNanos() / 1e9;
        return s < 1 ? String.format(Locale.ROOT, "%d ms", d.toMillis()) : String.format(Locale.ROOT, "%.2f s", s);
    }

    static String bytes(long b) {
        return b < 0 ? "-" : String.format(Locale.ROOT, "%d MB", Math.round(b / (1024.0 * 1024.0)));
    }

    static String rate(Result r) {
        Double rate = r.rate();
        if (rate == null) {
            return "-";
        }
        return (rate >= 100 ? String.format(Locale.ROOT, "%,.0f", rate) : String.format(Locale.ROOT, "%.1f", rate)) + " " + r.rateUnit();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            boolean last = i == cells.size() - 1;
            b.append(last ? c : pad(c, width[i])).append(last ? "" : "  ");
        }
        return b.toString().stripTrailing();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }
}
