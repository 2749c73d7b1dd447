package dev.ferry.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * upload-insert and upload-mixed on one consolidated database: N rows inserted on a SQLite remote
 * by the application, uploaded with {@code ferry remote sync}; then half of them updated and half
 * deleted, uploaded again. Baselines move the same rows from the same SQLite file with plain JDBC
 * batches (and, on PostgreSQL, {@code psql \copy}) into a fresh database of the same kind.
 */
final class UploadScenario {
    static final Target INSERT_VS_JDBC = Target.timeAtMost(1.0);
    static final Target INSERT_VS_COPY = Target.timeAtMost(3.0);
    static final Target MIXED_VS_JDBC = Target.timeAtMost(1.0);
    static final String INSERT = "upload-insert";
    static final String MIXED = "upload-mixed";
    static final String COPY = "upload-insert \\copy";

    private UploadScenario() {
    }

    static void run(Bench bench, ConsolidatedKind kind, RowGroup rows) {
        rows.expect(INSERT, INSERT_VS_JDBC);
        if (kind == ConsolidatedKind.POSTGRESQL) {
            rows.expect(COPY, INSERT_VS_COPY);
        }
        rows.expect(MIXED, MIXED_VS_JDBC);
        int n = bench.sizes().uploadRows();
        try (Fixture f = Fixture.start(bench, kind, "upload", 0, Map.of());
             BenchDatabase base = bench.newDatabase(kind)) {
            try (Connection c = base.connect(); Statement s = c.createStatement()) {
                s.execute(kind.itemsDdl(Items.TABLE));
            }
            Path remote = f.initRemote();
            Bench.log("upload " + kind.label() + ": the application inserts " + n + " rows on the remote; then ferry remote sync");
            try (Connection c = DriverManager.getConnection(Fixture.sqliteUrl(remote))) {
                Items.insertRemote(c, 1, n, 0);
            }
            Measured up = f.sync(remote);
            try (Connection c = f.db().connect()) {
                Items.expect(c, "the consolidated database", "", n);
            }
            Duration jdbc = Baselines.sqliteToJdbcInsert(remote, base);
            rows.add(Result.timed(INSERT, kind.label(), up.time(), "JDBC batch, in-process", jdbc, INSERT_VS_JDBC, n, up.memory(),
                    n + " rows; Ferry = CLI JVM incl. start"));
            if (kind == ConsolidatedKind.POSTGRESQL) {
                rows.add(Result.timed(COPY, kind.label(), up.time(), "psql \\copy CSV", copy(bench, remote, kind, n), INSERT_VS_COPY, n, up.memory(),
                        n + " rows; psql process timed"));
            }

            int updated = n / 2;
            int deleted = n - updated;
            Bench.log("upload " + kind.label() + ": the application updates " + updated + " and deletes " + deleted + " synced rows; then sync");
            try (Connection c = DriverManager.getConnection(Fixture.sqliteUrl(remote))) {
                Items.updateRemote(c, 1, updated, 1);
                Items.delete(c, updated + 1, deleted);
            }
            Measured mixed = f.sync(remote);
            try (Connection c = f.db().connect()) {
                Items.expect(c, "the consolidated database", "", updated);
                Items.expect(c, "the consolidated database", "name LIKE '% v1'", updated);
            }
            Duration mixedBase = Baselines.sqliteToJdbcMixed(remote, base, updated, updated + 1, deleted);
            rows.add(Result.timed(MIXED, kind.label(), mixed.time(), "JDBC UPDATE+DELETE batch", mixedBase, MIXED_VS_JDBC, n, mixed.memory(),
                    updated + " updates + " + deleted + " deletes"));
        } catch (Exception e) {
            rows.failRemaining(e);
        }
    }

    private static Duration copy(Bench bench, Path remote, ConsolidatedKind kind, int n) throws Exception {
        try (BenchDatabase target = bench.newDatabase(kind)) {
            try (Connection c = target.connect(); Statement s = c.createStatement()) {
                s.execute(kind.itemsDdl(Items.TABLE));
            }
            Path csv = bench.dir("copy").resolve("items.csv");
            Baselines.exportCsv(remote, csv);
            Duration t = Baselines.psqlCopy(csv, target);
            try (Connection c = target.connect()) {
                Items.expect(c, "the \\copy baseline", "", n);
            }
            return t;
        }
    }
}
