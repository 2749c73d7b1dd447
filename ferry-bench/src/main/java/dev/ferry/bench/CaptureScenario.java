package dev.ferry.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Capture overhead: the same application writes (K inserts, then K updates, then K deletes, plain
 * JDBC with default settings, a commit every 1000 rows) on a tracked table and on the same table
 * untracked. SQLite: a remote made by {@code ferry remote init} (synced between the steps, as an
 * application's rows would be) against a plain file with the remote's own CREATE TABLE.
 * Consolidated: the table after the server provisioned its capture triggers against the same table
 * in a fresh database. Each is the fastest of three rounds on new keys. Ratio = tracked rate / untracked rate.
 */
final class CaptureScenario {
    static final Target SQLITE_INSERT = Target.rateAtLeast(0.5);
    static final Target SQLITE_CHANGE = Target.rateAtLeast(0.3);
    static final Target CONSOLIDATED = Target.rateAtLeast(0.5);
    static final String INSERT = "capture-insert";
    static final String UPDATE = "capture-update";
    static final String DELETE = "capture-delete";
    private static final int ROUNDS = 3;

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
            Bench.log("capture sqlite: " + k + " inserts, updates and deletes, tracked and untracked, best of " + ROUNDS);
            Fastest best = new Fastest();
            try (Connection t = DriverManager.getConnection(Fixture.sqliteUrl(tracked));
                 Connection u = DriverManager.getConnection(Fixture.sqliteUrl(plain))) {
                for (int round = 0; round < ROUNDS; round++) {
                    long first = 1 + (long) round * k;
                    best.measure(round, INSERT, () -> Items.insertRemote(t, first, k, 0), () -> Items.insertRemote(u, first, k, 0));
                    f.sync(tracked);
                    best.measure(round, UPDATE, () -> Items.updateRemote(t, first, k, 1), () -> Items.updateRemote(u, first, k, 1));
                    f.sync(tracked);
                    best.measure(round, DELETE, () -> Items.delete(t, first, k), () -> Items.delete(u, first, k));
                }
            }
            String note = k + " rows, best of " + ROUNDS;
            rows.add(Result.rated(INSERT, "sqlite", best.tracked(INSERT), "untracked SQLite", best.untracked(INSERT), SQLITE_INSERT, k,
                    ServerMemory.NONE, note));
            rows.add(Result.rated(UPDATE, "sqlite", best.tracked(UPDATE), "untracked SQLite", best.untracked(UPDATE), SQLITE_CHANGE, k,
                    ServerMemory.NONE, note + "; synced rows"));
            rows.add(Result.rated(DELETE, "sqlite", best.tracked(DELETE), "untracked SQLite", best.untracked(DELETE), SQLITE_CHANGE, k,
                    ServerMemory.NONE, note + "; synced rows"));
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
            Bench.log("capture " + kind.label() + ": " + k + " inserts, updates and deletes, tracked and untracked, best of " + ROUNDS);
            Fastest best = new Fastest();
            try (Connection t = f.db().connect(); Connection u = plain.connect()) {
                for (int round = 0; round < ROUNDS; round++) {
                    long first = 1 + (long) round * k;
                    best.measure(round, INSERT, () -> Items.insertTyped(t, Items.TABLE, first, k, 0),
                            () -> Items.insertTyped(u, Items.TABLE, first, k, 0));
                    best.measure(round, UPDATE, () -> Items.updateTyped(t, Items.TABLE, first, k, 1),
                            () -> Items.updateTyped(u, Items.TABLE, first, k, 1));
                    best.measure(round, DELETE, () -> Items.delete(t, first, k), () -> Items.delete(u, first, k));
                }
            }
            String note = k + " rows, JDBC batches, best of " + ROUNDS;
            for (String op : List.of(INSERT, UPDATE, DELETE)) {
                rows.add(Result.rated(op, kind.label(), best.tracked(op), "untracked table", best.untracked(op), CONSOLIDATED, k,
                        ServerMemory.NONE, note));
            }
        } catch (Exception e) {
            rows.failRemaining(e);
        }
    }

    /**
     * The fastest of the rounds for each side of each operation: the shared machine's bursts only ever
     * slow a round down. Which side goes first alternates by round, so neither pays the JIT's warm-up
     * or a cold cache every time.
     */
    private static final class Fastest {
        private final Map<String, Duration> tracked = new HashMap<>();
        private final Map<String, Duration> untracked = new HashMap<>();

        void measure(int round, String op, Work trackedWork, Work untrackedWork) throws SQLException {
            if (round % 2 == 0) {
                tracked.merge(op, time(trackedWork), Fastest::min);
                untracked.merge(op, time(untrackedWork), Fastest::min);
            } else {
                untracked.merge(op, time(untrackedWork), Fastest::min);
                tracked.merge(op, time(trackedWork), Fastest::min);
            }
        }

        Duration tracked(String op) {
            return tracked.get(op);
        }

        Duration untracked(String op) {
            return untracked.get(op);
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
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
