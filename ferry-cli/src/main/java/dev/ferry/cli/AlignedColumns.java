package dev.ferry.cli;

import java.io.PrintStream;
import java.util.List;

/** Rows printed as left-aligned columns two spaces apart, under an indent: the tables the CLI shows. */
final class AlignedColumns {
    private AlignedColumns() {
    }

    static void print(PrintStream out, String indent, List<String[]> rows) {
        int[] width = new int[rows.stream().mapToInt(r -> r.length).max().orElse(0)];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < r.length; i++) {
                line.append(String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
