package dev.ferry.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./ferry bench}: runs the selected scenarios (docs/PERFORMANCE.md), each against fresh
 * databases, and prints the machine description and one table. A scenario that fails prints FAILED
 * with its reason in its rows and the run goes on. Exit status 0 when every row was measured (targets
 * missed or not), 1 when a row failed, 2 for bad arguments.
 */
public final class FerryBench {
    private FerryBench() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: USAGE: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.ferryJar())) {
            System.err.println("error: USAGE: no Ferry jar at " + options.ferryJar().toAbsolutePath() + " (build it: mvn -B -DskipTests package)");
            System.exit(2);
            return;
        }
        List<Result> results = new ArrayList<>();
        Instant start = Instant.now();
        List<String> machine;
        try (Bench bench = new Bench(options)) {
            machine = Machine.describe(bench);
            machine.forEach(Bench::log);
            run(bench, results);
        }
        System.out.println("Ferry bench, " + start.truncatedTo(ChronoUnit.SECONDS) + ", took "
                + ResultTable.duration(Duration.between(start, Instant.now())));
        machine.forEach(System.out::println);
        System.out.println();
        System.out.print(ResultTable.render(results));
        System.exit(results.stream().anyMatch(r -> r.failure() != null) ? 1 : 0);
    }

    private static void run(Bench bench, List<Result> results) {
        BenchOptions o = bench.options();
        ConsolidatedKind primary = o.databases().contains(ConsolidatedKind.POSTGRESQL) ? ConsolidatedKind.POSTGRESQL : o.databases().get(0);
        for (ConsolidatedKind kind : o.databases()) {
            if (o.runs("upload")) {
                UploadScenario.run(bench, kind, group(results, kind.label()));
            }
            if (o.runs("download")) {
                DownloadScenario.run(bench, kind, group(results, kind.label()));
            }
        }
        if (o.runs("many-remotes")) {
            ManyRemotesScenario.run(bench, primary, group(results, primary.label()));
        }
        if (o.runs("memory")) {
            MemoryScenario.run(bench, primary, group(results, primary.label()));
        }
        if (o.runs("capture")) {
            CaptureScenario.runSqlite(bench, primary, group(results, "sqlite"));
            for (ConsolidatedKind kind : o.databases()) {
                // H2's triggers run inside the server JVM that holds the file, an untracked H2 file would be
                // written in-process: no like-for-like comparison, so H2 is left out.
                if (kind != ConsolidatedKind.H2) {
                    CaptureScenario.runConsolidated(bench, kind, group(results, kind.label()));
                }
            }
        }
        if (o.runs("symmetricds") && o.runs("upload") && o.runs("download")) {
            SymmetricDsComparison.add(List.copyOf(results), primary, group(results, primary.label()));
        }
    }

    private static RowGroup group(List<Result> results, String database) {
        return new RowGroup(r -> {
            results.add(r);
            List<String> cells = ResultTable.cells(r);
            Bench.log(String.join(" | ", cells));
        }, database);
    }
}
