package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 10: the consolidated database goes back in time. It is backed up with
 * {@code pg_dump}, more uploads and downloads happen, and then the backup is restored with
 * {@code pg_restore} into a new database that a new server serves (the remotes' server address now
 * leads there, as after a failover). The remotes that still hold the lost uploads' rows send them
 * again by themselves, no one runs {@code ferry remote reset}, and a remote whose download position
 * came from the lost stretch still receives every later change.
 */
class ConsolidatedRestoreIT {
    private static final String CUSTOMERS = "SELECT id, name, balance FROM customer ORDER BY id";

    private RunningFerry ferry;
    private ConsolidatedFixture restored;
    private FerryServer restoredServer;
    private Path backup;

    @BeforeEach
    void start() throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.postgres());
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50), (2, 'Grace', 19.99)");
        ferry = RunningFerry.start(cons, null, Map.of());
        backup = Files.createTempFile("ferry-consolidated-", ".dump");
    }

    @AfterEach
    void stop() throws Exception {
        if (restoredServer != null) {
            restoredServer.close();
        }
        if (restored != null) {
            restored.db.close();
        }
        if (ferry != null) {
            ferry.close();
        }
        Files.deleteIfExists(backup);
    }

    /** Restores the backup into a new database, serves it, and points {@code remotes} at it. */
    private void restoreTheBackup(RemoteFixture... remotes) throws Exception {
        restored = new ConsolidatedFixture(TestDatabases.postgres());
        restored.restoreFrom(backup);
        restoredServer = FerryServer.start(ServerConfig.load(null, Map.of(), Map.of(ServerConfig.CONSOLIDATED_URL.key(), restored.db.url(),
                ServerConfig.PORT.key(), "0", ServerConfig.HOST.key(), "127.0.0.1", ServerConfig.PASSWORD_ITERATIONS.key(), "10000", ServerConfig.PLAIN_HTTP.key(), "true")));
        for (RemoteFixture r : remotes) {
            r.app("UPDATE ferry_state SET server_url = 'http://127.0.0.1:" + restoredServer.port() + "';");
        }
    }

    @Test
    void uploadsTheRestoredDatabaseLostAreSentAgainByTheRemotesThatHoldThemAndLaterChangesStillArrive() throws Exception {
        RemoteFixture a = ferry.remote("sqlite", "shop-a");
        RemoteFixture b = ferry.remote("sqlite", "shop-b");
        RunningFerry.sync(a);
        RunningFerry.sync(b);
        ferry.cons.backupTo(backup);

        a.app("INSERT INTO customer VALUES (5001, 'Linus', 7.25); UPDATE customer SET name = 'Ada L.' WHERE id = 1;");
        RunningFerry.sync(a);
        a.app("UPDATE customer SET balance = '20.00' WHERE id = 2;");
        RunningFerry.sync(a);
        RunningFerry.sync(b);
        List<List<String>> acknowledged = ferry.cons.query(CUSTOMERS);
        assertThat(acknowledged).contains(List.of("5001", "Linus", "7.25"), List.of("1", "Ada L.", "120.50"), List.of("2", "Grace", "20.00"));

        restoreTheBackup(a, b);
        assertThat(restored.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'")).as("uploads 2 and 3 are lost")
                .containsExactly(List.of("1"));

        Cli.Result r = RunningFerry.sync(a);
        assertThat(SyncScenarios.counts(r, "customer").get(0)).as("the three rows of the lost uploads go up again").isEqualTo(3L);
        assertThat(restored.query(CUSTOMERS)).as("nothing the remote still holds is lost").isEqualTo(acknowledged);
        assertThat(a.query("SELECT progress, pending_upload FROM ferry_state")).containsExactly(java.util.Arrays.asList("2", null));
        assertThat(a.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("0"));
        assertThat(restored.query("SELECT COUNT(*) FROM ferry_sync_log WHERE remote_id = 'shop-a' AND outcome = 'consolidated-restored'"))
                .containsExactly(List.of("1"));
        assertThat(restored.query("SELECT COUNT(*) FROM ferry_conflict")).containsExactly(List.of("0"));

        // b downloaded the lost stretch: its position is past the restored clock, yet it misses nothing later.
        restored.client("UPDATE customer SET balance = 99.00 WHERE id = 1");
        RunningFerry.sync(b);
        assertThat(b.query(CUSTOMERS)).isEqualTo(restored.query(CUSTOMERS));
        assertThat(restored.query("SELECT COUNT(*) FROM ferry_sync_log WHERE remote_id = 'shop-b' AND message LIKE '%went back in time%'"))
                .as("the operator is told").containsExactly(List.of("1"));
        RunningFerry.sync(a);
        assertThat(a.query(CUSTOMERS)).isEqualTo(restored.query(CUSTOMERS));
    }

    @Test
    void aRemoteWhoseUploadLogNoLongerReachesTheLostUploadsIsToldSoAndNothingChanges() throws Exception {
        RemoteFixture a = ferry.remote("sqlite", "shop-a");
        RunningFerry.sync(a);
        ferry.cons.backupTo(backup);
        a.app("UPDATE customer SET name = 'Ada L.' WHERE id = 1;");
        RunningFerry.sync(a);
        a.app("UPDATE customer SET name = 'Grace H.' WHERE id = 2;");
        RunningFerry.sync(a);
        restoreTheBackup(a);
        // As if upload 2 had expired from the log (ferry_state.upload_log_days).
        a.app("DELETE FROM ferry_upload_log WHERE upload_number = 2; UPDATE ferry_state SET upload_log_since = 3;");
        List<List<String>> before = restored.query(CUSTOMERS);

        Cli.Result r = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
        assertThat(r.err()).contains("CONSOLIDATED_RESTORED").contains("only up to 1").contains("ferry remote reset");
        assertThat(restored.query(CUSTOMERS)).isEqualTo(before);
        assertThat(a.query("SELECT progress FROM ferry_state")).containsExactly(List.of("3"));
    }
}
