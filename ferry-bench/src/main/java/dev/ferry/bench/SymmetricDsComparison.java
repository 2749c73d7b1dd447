package dev.ferry.bench;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Issue 12's SymmetricDS figures on its own workload (100,000 rows each way, SQLite store: about
 * 25 s client to server, 11-22 s server to client; the best, 11 s, is used), recorded on this machine
 * and not measured by the bench: SymmetricDS stays outside the repository. The rows compare rates
 * (Ferry's rows/s from this run's upload-insert and download-first over SymmetricDS's), so a default
 * run at fewer rows still compares like with like.
 */
final class SymmetricDsComparison {
    static final String UPLOAD = "vs SymmetricDS upload";
    static final String DOWNLOAD = "vs SymmetricDS download";
    static final Target TARGET = Target.speedAtLeast(10);
    static final long ROWS = 100_000;
    static final Duration UPLOAD_TIME = Duration.ofSeconds(25);
    static final Duration DOWNLOAD_TIME = Duration.ofSeconds(11);

    private SymmetricDsComparison() {
    }

    static void add(List<Result> measured, ConsolidatedKind kind, RowGroup rows) {
        rows.expect(UPLOAD, TARGET).expect(DOWNLOAD, TARGET);
        compare(measured, kind, UploadScenario.INSERT, UPLOAD, UPLOAD_TIME).ifPresent(rows::add);
        compare(measured, kind, DownloadScenario.FIRST_NAME, DOWNLOAD, DOWNLOAD_TIME).ifPresent(rows::add);
        rows.failRemaining(new BenchFailure("needs this run's upload and download scenarios on " + kind.label()));
    }

    static Optional<Result> compare(List<Result> measured, ConsolidatedKind kind, String source, String name, Duration recorded) {
        return measured.stream()
                .filter(r -> r.scenario().equals(source) && r.database().equals(kind.label()) && r.failure() == null)
                .findFirst()
                .map(r -> {
                    double recordedRate = ROWS / (recorded.toNanos() / 1e9);
                    Double ratio = r.rate() == null ? null : r.rate() / recordedRate;
                    return new Result(name, kind.label(), r.ferry(), "SymmetricDS 100k, recorded", recorded, ratio, TARGET, TARGET.met(ratio),
                            r.rows(), "rows/s", r.memory(), "recorded, not measured in this run; ratio = rows/s over rows/s; Ferry at "
                            + r.rows() + " rows", null);
                });
    }
}
