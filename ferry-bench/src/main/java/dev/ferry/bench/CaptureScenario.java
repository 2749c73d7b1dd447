package dev.ferry.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * Capture overhead: the same application writes (K inserts, then K updates, then K deletes, plain
 * JDBC with default settings, a commit every 1000 rows) on a tracked table and on the same table
 * untracked. SQLite: a remote made by {@code ferry remote init} (synced between the steps, as an
 * application's rows would be) against a plain file with the remote's own CREATE TABLE.
 * Consolidated: the table after the server provisioned its capture triggers against the same table
 * in a fresh database. Ratio = tracked rate / untracked rate.
 */
final class CaptureScenario {
    static final Target SQLITE_INSERT = Target.rateAtLeast(0.5);
    static final Target SQLITE_CHANGE = Target.rateAtLeast(0.3);
    static final Target CONSOLIDATED = Target.rateAtLeast(0.5);
    static final String INSERT = "capture-insert";
    static final String UPDATE = "capture-update";
    static final String DELETE = "capture-delete";

    private CaptureScenario() {
    }

    /** On a SQLite remote of a server on {@code kind}. */
    static void runSqlite(Bench bench, ConsolidatedKind kind, RowGroup rows) {
        rows.expect(INSERT, SQLITE_INSERT).expect(UPDATE, SQLITE_CHANGE).expect(DELETE, SQLITE_CHANGE);
        int k = bench.sizes().captureRows();
        try (Fixture f = Fixture.start(bench, kind, "capture-sqlite", 0, Map.of())) {
            Path tracked = f.initRemote();
            Path plain = f.plainSqliteFile("untracked");
            Baselines.createPlainSqlite(plain, Baselines.remoteTableDdl(tracked));
            Bench.log("capture sqlite: " + k + " inserts, updates and deletes, tracked and untracked");
            try (Connection t = DriverManager.getConnection(Fixture.sqliteUrl(tracked));
                 Connection u = DriverManager.getConnection(Fixture.sqliteUrl(plain))) {
                Duration ti = time(() -> Items.insertRemote(t, 1, k, 0));
                Duration ui = time(() -> Items.insertRemote(u, 1, k, 0));
                rows.add(Result.rated(INSERT, "sqlite", ti, "untracked SQLite", ui, SQLITE_INSERT, k, ServerMemory.NONE, k + " rows"));
                f.sync(tracked);
                Duration tu = time(() -> Items.updateRemote(t, 1, k, 1));
                Duration uu = time(() -> Items.updateRemote(u, 1, k, 1));
                rows.add(Result.rated(UPDATE, "sqlite", tu, "untracked SQLite", uu, SQLITE_CHANGE, k, ServerMemory.NONE, k + " synced rows"));
                f.sync(tracked);
                Duration td = time(() -> Items.delete(t, 1, k));
                Duration ud = time(() -> Items.delete(u, 1, k));
                rows.add(Result.rated(DELETE, "sqlite", td, "untracked SQLite", ud, SQLITE_CHANGE, k, ServerMemory.NONE, k + " synced rows"));
            }
        } catch (Exception e) {
            rows.failRemaining(e);
        }
    }

    /** On the consolidated database itself, through the server's capture triggers. */
    static void runConsolidated(Bench bench, ConsolidatedKind kind, RowGroup rows) {
        rows.expect(INSERT, CONSOLIDATED).expect(UPDATE, CONSOLIDATED).expect(DELETE, CONSOLIDATED);
        int k = bench.sizes().captureRows();
        try (Fixture f = Fixture.start(bench, kind, "capture-" + kind.label(), 0, Map.of());
             BenchDatabase plain = bench.newDatabase(kind)) {
            try (Connection c = plain.connect(); Statement s = c.createStatement()) {
                s.execute(kind.itemsDdl(Items.TABLE));
            }
            Bench.log("capture " + kind.label() + ": " + k + " inserts, updates and deletes, tracked and untracked");
            try (Connection t = f.db().connect(); Connection u = plain.connect()) {
                Duration ti = time(() -> Items.insertTyped(t, Items.TABLE, 1, k, 0));
                Duration ui = time(() -> Items.insertTyped(u, Items.TABLE, 1, k, 0));
                rows.add(Result.rated(INSERT, kind.label(), ti, "untracked table", ui, CONSOLIDATED, k, ServerMemory.NONE, k + " rows, JDBC batches"));
                Duration tu = time(() -> Items.updateTyped(t, Items.TABLE, 1, k, 1));
                Duration uu = time(() -> Items.updateTyped(u, Items.TABLE, 1, k, 1));
                rows.add(Result.rated(UPDATE, kind.label(), tu, "untracked table", uu, CONSOLIDATED, k, ServerMemory.NONE, k + " rows"));
                Duration td = time(() -> Items.delete(t, 1, k));
                Duration ud = time(() -> Items.delete(u, 1, k));
                rows.add(Result.rated(DELETE, kind.label(), td, "untracked table", ud, CONSOLIDATED, k, ServerMemory.NONE, k + " rows"));
            }
        } catch (Exception e) {
            rows.failRemaining(e);
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    private static Duration time(Work w) throws SQLException {
        long t0 = System.nanoTime();
        w.run();
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
