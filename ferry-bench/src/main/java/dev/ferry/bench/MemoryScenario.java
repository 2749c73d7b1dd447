package dev.ferry.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * memory-upload: the server (-Xmx256m) takes a small upload and then one ten times larger from
 * another remote; the row shows the large one's time and memory, and the ratio of the live heap
 * after collections (large over small), which must stay flat: memory must not grow with an upload.
 * The big-download memory figures are in the download-first row (1,000,000 rows at --full).
 */
final class MemoryScenario {
    static final String NAME = "memory-upload";
    /** Room for collection timing noise: "does not grow" read as at most half again. */
    static final Target TARGET = new Target("live heap <= 1.5x", Target.Direction.AT_MOST, 1.5);
    private static final int DEFAULT_ROWS_PER_UPLOAD = 1_000_000;

    private MemoryScenario() {
    }

    static void run(Bench bench, ConsolidatedKind kind, RowGroup rows) {
        rows.expect(NAME, TARGET);
        int big = bench.sizes().memoryUploadRows();
        int small = Math.max(1, big / 10);
        try (Fixture f = Fixture.start(bench, kind, "memory", 0, limitsFor(big))) {
            Path first = f.initRemote();
            Path second = f.initRemote();
            Bench.log(NAME + " " + kind.label() + ": uploads of " + small + " and " + big + " rows");
            try (Connection c = DriverManager.getConnection(Fixture.sqliteUrl(first))) {
                Items.insertRemote(c, 1, small, 0);
            }
            try (Connection c = DriverManager.getConnection(Fixture.sqliteUrl(second))) {
                Items.insertRemote(c, small + 1, big, 0);
            }
            // upload-only: the first remote would otherwise download nothing, the second the first's rows
            Measured smallUp = upload(bench, f, first);
            Measured bigUp = upload(bench, f, second);
            try (Connection c = f.db().connect()) {
                Items.expect(c, "the consolidated database", "", (long) small + big);
            }
            long liveSmall = smallUp.memory().peakLive();
            long liveBig = bigUp.memory().peakLive();
            Double ratio = liveSmall > 0 && liveBig > 0 ? (double) liveBig / liveSmall : null;
            String note = String.format(Locale.ROOT, "%d-row upload after a %d-row one (live heap %s then %s); limits raised: %s", big, small,
                    ResultTable.bytes(liveSmall), ResultTable.bytes(liveBig), limitsFor(big).isEmpty() ? "none" : limitsFor(big));
            rows.add(new Result(NAME, kind.label(), bigUp.time(), null, null, ratio, TARGET, TARGET.met(ratio), big, "rows/s", bigUp.memory(),
                    note, null));
        } catch (Exception e) {
            rows.failRemaining(e);
        }
    }

    private static Measured upload(Bench bench, Fixture f, Path remote) {
        f.probe().begin();
        // The server answers only after applying the whole upload; at --full that takes longer than the default 300 s read timeout.
        var t = bench.cli().run("remote", "sync", "--upload-only", "--read-timeout", "86400", "--db", remote.toString());
        return new Measured(t, f.probe().end());
    }

    /** Server limits an upload this large needs beyond the defaults (README "Configuration"). */
    static Map<String, String> limitsFor(int rows) {
        Map<String, String> env = new LinkedHashMap<>();
        if (rows > DEFAULT_ROWS_PER_UPLOAD) {
            env.put("FERRY_LIMITS_ROWS_PER_UPLOAD", Integer.toString(rows));
            // about 100 bytes of JSON per row; the default 256 MiB request limit holds some 2.5 million
            env.put("FERRY_LIMITS_REQUEST_BYTES", Long.toString(rows * 200L));
        }
        return env;
    }
}
