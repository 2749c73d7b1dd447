package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lines printed above the table: the machine, the JVM, and the version of every database in the run. */
final class Machine {
    private Machine() {
    }

    static List<String> describe(Bench bench) {
        List<String> lines = new ArrayList<>();
        lines.add("machine:   " + cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memory() + " RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        lines.add("JVM:       " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "; server " + ServerProcess.HEAP + ", CLI and clients default heap");
        for (ConsolidatedKind kind : bench.options().databases()) {
            lines.add(String.format(Locale.ROOT, "%-10s %s", kind.label() + ":", version(bench, kind)));
        }
        lines.add("sqlite:    " + sqliteVersion() + " (sqlite-jdbc, remotes)");
        Sizes s = bench.sizes();
        lines.add(String.format(Locale.ROOT, "sizes:     %s: upload %,d, download %,d, incremental %,d, remotes %,d x %d rows (%d at a time),"
                        + " memory upload %,d, capture %,d", bench.options().full() ? "full" : "default", s.uploadRows(), s.downloadRows(),
                s.incrementalRows(), s.remotes(), s.deltaRows(), s.concurrency(), s.memoryUploadRows(), s.captureRows()));
        return lines;
    }

    private static String version(Bench bench, ConsolidatedKind kind) {
        try (BenchDatabase db = bench.newDatabase(kind); Connection c = db.connect()) {
            return kind.version(c);
        } catch (Exception e) {
            return "unreachable (" + RowGroup.reason(e) + ")";
        }
    }

    private static String sqliteVersion() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (Exception e) {
            return "?";
        }
    }

    private static String cpu() {
        return procLine("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch"));
    }

    private static String memory() {
        return procLine("/proc/meminfo", "MemTotal").map(v -> {
            long kb = Long.parseLong(v.trim().split("\\s+")[0]);
            return String.format(Locale.ROOT, "%.1f GiB", kb / (1024.0 * 1024.0));
        }).orElse("?");
    }

    private static java.util.Optional<String> procLine(String file, String key) {
        try {
            for (String l : Files.readAllLines(Path.of(file))) {
                if (l.startsWith(key)) {
                    return java.util.Optional.of(l.substring(l.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return java.util.Optional.empty();
    }
}
