package dev.ferry.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * download-first and download-incremental on one consolidated database: M rows already in the
 * database when the server starts, a new SQLite remote's first {@code ferry remote sync}; then K rows
 * changed by another application on the consolidated side and synced again. Baselines read the same
 * rows with plain JDBC and write them into a plain SQLite file with the remote's table, batched in one
 * transaction (an upsert for the incremental one).
 */
final class DownloadScenario {
    static final Target FIRST = Target.timeAtMost(1.5);
    static final Target INCREMENTAL = Target.timeAtMost(1.5);
    static final String FIRST_NAME = "download-first";
    static final String INCREMENTAL_NAME = "download-incremental";

    private DownloadScenario() {
    }

    static void run(Bench bench, ConsolidatedKind kind, RowGroup rows) {
        rows.expect(FIRST_NAME, FIRST).expect(INCREMENTAL_NAME, INCREMENTAL);
        int m = bench.sizes().downloadRows();
        int k = bench.sizes().incrementalRows();
        try (Fixture f = Fixture.start(bench, kind, "download", m, Map.of())) {
            Path remote = f.initRemote();
            Bench.log("download " + kind.label() + ": first sync of a new remote, " + m + " rows");
            Measured first = f.sync(remote);
            try (Connection c = DriverManager.getConnection(Fixture.sqliteUrl(remote))) {
                Items.expect(c, "the remote", "", m);
            }
            Path plain = f.plainSqliteFile("baseline");
            Baselines.createPlainSqlite(plain, Baselines.remoteTableDdl(remote));
            Duration base = Baselines.jdbcToSqlite(f.db(), "", plain, false);
            rows.add(Result.timed(FIRST_NAME, kind.label(), first.time(), "JDBC read + SQLite batch", base, FIRST, m, first.memory(),
                    m + " rows; Ferry = CLI JVM incl. start"));

            Bench.log("download " + kind.label() + ": another application changes " + k + " rows; then sync");
            String changed = "id <= " + k;
            try (Connection c = f.db().connect(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE " + Items.TABLE + " SET qty = qty + 1 WHERE " + changed);
            }
            Measured incremental = f.sync(remote);
            try (Connection c = DriverManager.getConnection(Fixture.sqliteUrl(remote))) {
                Items.expect(c, "the remote", changed + " AND qty = (id % 1000) + 1", k);
            }
            Duration upsert = Baselines.jdbcToSqlite(f.db(), changed, plain, true);
            rows.add(Result.timed(INCREMENTAL_NAME, kind.label(), incremental.time(), "JDBC read + SQLite upsert batch", upsert, INCREMENTAL, k,
                    incremental.memory(), k + " changed of " + m + " rows"));
        } catch (Exception e) {
            rows.failRemaining(e);
        }
    }
}
