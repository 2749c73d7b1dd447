package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 3, "local changes made on the remote while a sync is in progress are never overwritten": on
 * an H2 remote (row locks, so the application can commit in the middle of a download) an application
 * transaction changes a row the download is about to write and commits while the download waits for
 * it. The download must leave the application's version in place, pending, and the next sync uploads
 * it (here it meets the server's change as a logged conflict instead of vanishing).
 */
class H2RemoteWriteDuringDownloadIT {

    @Test
    void aLocalChangeCommittedWhileTheDownloadWaitsForItsRowIsKeptAndUploadedNext() throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.postgres());
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50), (2, 'Grace', 19.99)");
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote("h2", "shop-a");
            RunningFerry.sync(r);
            cons.client("UPDATE customer SET name = 'server' WHERE id IN (1, 2)");

            CompletableFuture<Cli.Result> sync;
            try (Connection app = DriverManager.getConnection(r.url()); Connection probe = DriverManager.getConnection(r.url())) {
                app.setAutoCommit(false);
                try (Statement s = app.createStatement()) {
                    s.executeUpdate("UPDATE customer SET name = 'local' WHERE id = 1");
                }
                sync = CompletableFuture.supplyAsync(() -> Cli.run("remote", "sync", "--db", r.dbArg()));
                // The download has looked at ferry_pending (the change is not committed yet) and now waits for row 1.
                await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(10)).until(() -> blockedSessions(probe) > 0);
                app.commit();
            }
            Cli.Result first = sync.get();
            assertThat(first.exitCode()).as(first.all()).isZero();
            assertThat(r.query("SELECT id, name FROM customer ORDER BY id")).as("row 1 keeps the local change, row 2 is downloaded")
                    .containsExactly(List.of("1", "local"), List.of("2", "server"));
            assertThat(r.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("[1]", "updated"));

            RunningFerry.sync(r);
            assertThat(cons.query("SELECT kind, remote_image LIKE '%local%' FROM ferry_conflict WHERE pk = '[1]'"))
                    .as("the local change reached the server and is in the conflict log").containsExactly(List.of("update-update", "t"));
            assertThat(r.query("SELECT name FROM customer WHERE id = 1")).containsExactly(List.of("server"));
        }
    }

    private static int blockedSessions(Connection probe) throws Exception {
        try (Statement s = probe.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
