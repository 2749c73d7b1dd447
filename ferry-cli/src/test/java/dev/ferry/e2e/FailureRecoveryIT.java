package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4: every network failure point of a sync, injected by a real TCP proxy against PostgreSQL,
 * followed by ordinary syncs that must converge with nothing lost and nothing applied twice; plus the
 * progress counter's zero and mismatch rules.
 */
class FailureRecoveryIT {
    private ConsolidatedFixture cons;
    private RunningFerry ferry;
    private FerryServer server;
    private FaultyProxy proxy;
    private RemoteFixture a;

    @BeforeEach
    void start() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.postgres());
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) SELECT g, 'c' || g, g FROM generate_series(1, 2000) g");
        ferry = RunningFerry.start(cons, null, Map.of());
        server = ferry.server;
        proxy = new FaultyProxy(server.port());
        a = ferry.remote("sqlite", "shop-a", proxy.url());
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (ferry != null) {
            ferry.close();
        }
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r;
    }

    private Cli.Result failingSync() {
        Cli.Result r = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(11);
        assertThat(r.err()).containsPattern("(?m)^error: TRANSPORT_FAILED");
        assertThat(proxy.faultsInjected.get()).isPositive();
        return r;
    }

    private void assertConverged() throws Exception {
        assertThat(a.query("SELECT COUNT(*) FROM ferry_row_state WHERE state NOT IN ('synced', 'error')")).containsExactly(List.of("0"));
        List<List<String>> remote = a.query("SELECT id, name, balance FROM customer ORDER BY id");
        List<List<String>> consolidated = cons.query("SELECT id, name, balance FROM customer ORDER BY id");
        assertThat(remote).isEqualTo(consolidated);
        List<List<String>> progress = cons.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'");
        assertThat(a.query("SELECT progress, pending_upload FROM ferry_state")).containsExactly(java.util.Arrays.asList(progress.get(0).get(0), null));
    }

    @Test
    void lostAcknowledgementIsDetectedFromTheCounterAndNothingIsAppliedTwice() throws Exception {
        // An insert (would be a duplicate if replayed), a row the server rejects, and an update.
        a.app("INSERT INTO customer VALUES (5001, 'new', '1.00'), (5002, 'bad', '-5000.00'); UPDATE customer SET name = 'x' WHERE id = 1;");
        proxy.cutResponseAfter(0);
        failingSync();
        assertThat(cons.query("SELECT name FROM customer WHERE id IN (1, 5001) ORDER BY id")).as("the server did commit")
                .containsExactly(List.of("x"), List.of("new"));
        assertThat(a.query("SELECT pending_upload FROM ferry_state")).containsExactly(List.of("2"));
        a.app("UPDATE customer SET name = 'after' WHERE id = 2;");

        Cli.Result r = ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        assertThat(r.out()).contains("recovered a lost upload acknowledgement");
        assertThat(cons.query("SELECT COUNT(*) FROM customer WHERE id = 5001")).containsExactly(List.of("1"));
        assertThat(cons.query("SELECT name FROM customer WHERE id = 2")).as("changes made since are uploaded normally").containsExactly(List.of("after"));
        assertThat(a.query("SELECT pk, state, error_code FROM ferry_row_state WHERE state <> 'synced'"))
                .as("the stored per-row result of the lost upload").containsExactly(List.of("[5002]", "error", "ROW_CONSTRAINT_VIOLATION"));
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_sync_log WHERE outcome = 'ack-recovered'")).containsExactly(List.of("1"));
        // The rejected insert exists only on the remote; once the application drops it, both sides match.
        a.app("DELETE FROM customer WHERE id = 5002;");
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        assertConverged();
    }

    @Test
    void connectionDroppedBeforeTheUploadIsSentAppliesNothingAndTheNextSyncSendsItOnce() throws Exception {
        a.app("INSERT INTO customer VALUES (5001, 'new', '1.00'); UPDATE customer SET name = 'x' WHERE id = 1;");
        proxy.cutRequestAfter(0);
        failingSync();
        assertThat(cons.query("SELECT COUNT(*) FROM customer WHERE id = 5001 OR name = 'x'")).as("nothing reached the server").containsExactly(List.of("0"));
        assertThat(cons.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'")).containsExactly(List.of("1"));
        assertThat(a.query("SELECT progress, pending_upload FROM ferry_state")).as("the remote cannot know whether upload 2 arrived")
                .containsExactly(List.of("1", "2"));

        Cli.Result r = ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        assertThat(r.out()).as("the server says upload 2 never committed").doesNotContain("recovered");
        assertThat(SyncScenarios.counts(r, "customer")).as("both rows sent again, and nothing echoed back").containsExactly(2L, 0L, 0L, 0L);
        assertThat(cons.query("SELECT id, name FROM customer WHERE id IN (1, 5001) ORDER BY id")).containsExactly(List.of("1", "x"), List.of("5001", "new"));
        assertConverged();
    }

    @Test
    void lostDownloadAcknowledgementIsHarmlessTheRemoteKeepsItsPositionAndNothingIsDownloadedTwice() throws Exception {
        long before = Long.parseLong(a.query("SELECT last_download FROM ferry_state").get(0).get(0));
        cons.client("UPDATE customer SET balance = balance + 1 WHERE id <= 10");
        // The acknowledgement is a request of its own after the download committed; cut every one of them,
        // whatever connection the HTTP client sends it on and however often it retries.
        proxy.dropRequestsStartingWith("POST /v1/sync/ack");
        Cli.Result r = ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        assertThat(proxy.faultsInjected.get()).as("the acknowledgement really was cut").isPositive();
        assertThat(SyncScenarios.counts(r, "customer")).containsExactly(0L, 10L, 0L, 0L);
        long position = Long.parseLong(a.query("SELECT last_download FROM ferry_state").get(0).get(0));
        assertThat(position).as("the remote keeps the position it committed with the download").isGreaterThan(before);
        assertThat(Long.parseLong(cons.query("SELECT last_download_position FROM ferry_remote WHERE remote_id = 'shop-a'").get(0).get(0)))
                .as("the server never heard of the new position").isLessThan(position);

        // Acknowledgements still cut: the next sync's request carries the position, and the server records it (issue 12).
        Cli.Result next = ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        assertThat(SyncScenarios.counts(next, "customer")).as("the remote asked from its own position: nothing twice").containsExactly(0L, 0L, 0L, 0L);
        assertThat(a.query("SELECT last_download FROM ferry_state")).containsExactly(List.of(String.valueOf(position)));
        assertThat(cons.query("SELECT last_download_position FROM ferry_remote WHERE remote_id = 'shop-a'")).as("caught up by the position this sync's request carried")
                .containsExactly(List.of(String.valueOf(position)));
        assertConverged();
    }

    @Test
    void connectionDroppedInTheMiddleOfTheUploadAppliesNothing() throws Exception {
        StringBuilder sql = new StringBuilder();
        for (int i = 1; i <= 1500; i++) {
            sql.append("UPDATE customer SET name = 'u").append(i).append("' WHERE id = ").append(i).append(";");
        }
        a.app(sql.toString());
        proxy.cutRequestAfter(4000);
        failingSync();
        assertThat(cons.query("SELECT COUNT(*) FROM customer WHERE name LIKE 'u%'")).as("nothing half-applied").containsExactly(List.of("0"));
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        assertThat(cons.query("SELECT COUNT(*) FROM customer WHERE name LIKE 'u%'")).containsExactly(List.of("1500"));
        assertConverged();
    }

    @Test
    void connectionDroppedInTheMiddleOfTheDownloadLeavesTheRemoteAsItWas() throws Exception {
        cons.client("UPDATE customer SET balance = balance + 1");
        List<List<String>> before = a.query("SELECT id, balance FROM customer ORDER BY id");
        proxy.cutResponseAfter(3000);
        failingSync();
        assertThat(a.query("SELECT id, balance FROM customer ORDER BY id")).as("partial download rolled back").isEqualTo(before);
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        assertConverged();
    }

    @Test
    void anOldBackupOfTheRemoteCannotSyncAndNeitherDatabaseChanges() throws Exception {
        Path backup = Files.createTempFile("ferry-backup-", ".db");
        a.app("UPDATE customer SET name = 'before backup' WHERE id = 3;");
        Files.copy(Path.of(a.dbArg()), backup, StandardCopyOption.REPLACE_EXISTING);
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        Files.copy(backup, Path.of(a.dbArg()), StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(Path.of(a.dbArg() + "-wal"));
        Files.deleteIfExists(Path.of(a.dbArg() + "-shm"));
        a.app("UPDATE customer SET name = 'from the backup' WHERE id = 4;");
        List<List<String>> consBefore = cons.query("SELECT id, name FROM customer ORDER BY id");
        Cli.Result r = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("PROGRESS_MISMATCH").contains("remote has 1").contains("expects 3")
                .as("a genuine old backup is still told so, not that its id was re-initialized").contains("old backup").doesNotContain("re-initialized");
        assertThat(cons.query("SELECT id, name FROM customer ORDER BY id")).isEqualTo(consBefore);
        assertThat(a.query("SELECT state FROM ferry_row_state WHERE pk = '[4]'")).containsExactly(List.of("updated"));
        Files.deleteIfExists(backup);
    }

    @Test
    void aRestoredBackupSyncsAgainAfterResetKeepingItsLocalChangesAndLosingNothing() throws Exception {
        RemoteFixture backup = ferry.track(a.copy("shop-a-backup"));
        a.app("UPDATE customer SET name = 'after the backup' WHERE id = 1;");
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        cons.client("DELETE FROM customer WHERE id = 5");
        cons.client("UPDATE customer SET name = 'server' WHERE id IN (6, 7)");
        backup.app("UPDATE customer SET name = 'only in the backup' WHERE id = 8; UPDATE customer SET name = 'both' WHERE id = 7;");
        Cli.Result refused = Cli.run("remote", "sync", "--db", backup.dbArg());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(4);
        assertThat(refused.err()).contains("PROGRESS_MISMATCH").contains("ferry remote reset");

        Cli.Result reset = ok(Cli.run("remote", "reset", "--db", backup.dbArg()));
        assertThat(reset.out()).contains("Reset remote shop-a").contains("2 local change(s) kept");
        assertThat(backup.query("SELECT progress, last_download FROM ferry_state")).containsExactly(List.of("0", "0"));
        Cli.Result synced = ok(Cli.run("remote", "sync", "--db", backup.dbArg()));
        assertThat(SyncScenarios.counts(synced, "customer").subList(0, 1)).containsExactly(2L);

        assertThat(backup.query("SELECT id, name, balance FROM customer ORDER BY id"))
                .as("every row, the server's delete of row 5 included").isEqualTo(cons.query("SELECT id, name, balance FROM customer ORDER BY id"));
        assertThat(cons.query("SELECT id, name FROM customer WHERE id IN (1, 5, 7, 8) ORDER BY id")).as("nothing lost on either side")
                .containsExactly(List.of("1", "after the backup"), List.of("7", "server"), List.of("8", "only in the backup"));
        assertThat(cons.query("SELECT kind, remote_image LIKE '%both%' FROM ferry_conflict WHERE pk = '[7]'"))
                .as("the backup's overtaken change is a logged conflict, not a silent loss").containsExactly(List.of("update-update", "t"));
        assertThat(backup.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("0"));
        Cli.Result other = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(other.exitCode()).as("the reset copy is now remote shop-a; the other copy is the outdated one").isEqualTo(4);
        assertThat(other.err()).as("and it is told so, not blamed for being an old backup")
                .contains("REMOTE_REINITIALIZED: remote id shop-a was re-initialized at").contains("by user 'alice'");
    }

    @Test
    void counterZeroMeansANewRemoteDatabaseAndGetsAFullDownload() throws Exception {
        a.app("UPDATE customer SET name = 'synced once' WHERE id = 1;");
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        RemoteFixture fresh = new RemoteFixture("sqlite", "shop-a-again");
        try {
            // A known remote id takes --replace since issue 10 (RemoteOwnershipScenarios); the new database then starts at 0.
            ok(Cli.run("remote", "init", "--db", fresh.dbArg(), "--server", proxy.url(), "--remote-id", "shop-a", "--user", "alice",
                    "--password", "s3cret", "--replace"));
            Cli.Result r = ok(Cli.run("remote", "sync", "--db", fresh.dbArg()));
            assertThat(SyncScenarios.counts(r, "customer")).containsExactly(0L, 2000L, 0L, 0L);
            assertThat(fresh.query("SELECT name FROM customer WHERE id = 1")).containsExactly(List.of("synced once"));
            assertThat(cons.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'")).containsExactly(List.of("1"));
        } finally {
            fresh.close();
        }
    }

    @Test
    void aRemotePointedAtAnotherConsolidatedDatabaseIsRefusedAndNothingChanges() throws Exception {
        ConsolidatedFixture other = new ConsolidatedFixture(TestDatabases.postgres());
        other.createSchema();
        try (RunningFerry secondFerry = RunningFerry.start(other, null, Map.of())) {
            FerryServer second = secondFerry.server;
            a.app("UPDATE customer SET name = 'pending' WHERE id = 1; UPDATE ferry_state SET server_url = 'http://127.0.0.1:" + second.port() + "';");
            Cli.Result foreign = Cli.run("remote", "sync", "--db", a.dbArg());
            assertThat(foreign.exitCode()).as("the credential is the first server's: " + foreign.all()).isEqualTo(3);
            // Even with a credential from the second server, the remote's pinned consolidated identity refuses it.
            assertThat(Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", RunningFerry.USER, "--password", RunningFerry.PASSWORD).exitCode()).isZero();
            Cli.Result r = Cli.run("remote", "sync", "--db", a.dbArg());
            assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
            assertThat(r.err()).contains("CONSOLIDATED_MISMATCH").contains(server.database().identity()).contains(second.database().identity());
            assertThat(other.query("SELECT COUNT(*) FROM customer")).containsExactly(List.of("0"));
            assertThat(a.query("SELECT state FROM ferry_row_state WHERE pk = '[1]'")).containsExactly(List.of("updated"));
        }
    }

    @Test
    void aLostAnswerToTheProbeOfAnUploadOnlySyncNeverDropsTheRowsOfTheLostUpload() throws Exception {
        // Issue 10, defect 16: upload 2 is lost before the server sees it; the probe of the next
        // upload-only sync is answered, but that answer is lost too. The probe must not have been
        // committed as an (empty) upload 2, or the following sync hears "already applied".
        a.app("INSERT INTO customer VALUES (5001, 'lost once', '1.00'); UPDATE customer SET name = 'x' WHERE id = 1;");
        proxy.cutRequestAfter(0);
        failingSyncOf("--upload-only");
        proxy.cutResponseAfter(0);
        failingSyncOf("--upload-only");
        assertThat(cons.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'")).as("a probe commits nothing")
                .containsExactly(List.of("1"));

        Cli.Result r = ok(Cli.run("remote", "sync", "--db", a.dbArg(), "--upload-only"));
        assertThat(r.out()).doesNotContain("recovered");
        assertThat(cons.query("SELECT id, name FROM customer WHERE id IN (1, 5001) ORDER BY id")).as("the rows reach the server")
                .containsExactly(List.of("1", "x"), List.of("5001", "lost once"));
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        assertConverged();
    }

    @Test
    void aCopysLostMismatchAnswerIsNotTakenForTheOtherCopysUploadOnItsNextProbe() throws Exception {
        // Issue 10, defect 7: two copies of shop-a at progress 1 both build "upload 2". The other copy's
        // is committed; this copy's is refused, but the refusal never arrives. Its probe for upload 2
        // must not be answered "already applied" with the other copy's upload.
        RemoteFixture other = ferry.track(a.copy("shop-a-copy"));
        other.app("UPDATE customer SET name = 'from the other copy' WHERE id = 2;");
        ok(Cli.run("remote", "sync", "--db", other.dbArg()));
        a.app("UPDATE customer SET name = 'from this copy' WHERE id = 3;");
        proxy.cutResponseAfter(0);
        failingSync();
        assertThat(a.query("SELECT pending_upload FROM ferry_state")).containsExactly(List.of("2"));

        Cli.Result probe = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(probe.exitCode()).as(probe.all()).isEqualTo(4);
        assertThat(probe.err()).contains("PROGRESS_MISMATCH");
        assertThat(a.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced'")).as("this copy's change is still pending")
                .containsExactly(List.of("[3]", "updated"));
        assertThat(cons.query("SELECT name FROM customer WHERE id = 3")).containsExactly(List.of("c3"));
    }

    private void failingSyncOf(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("remote", "sync", "--db", a.dbArg()));
        args.addAll(List.of(extra));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.all()).isEqualTo(11);
        assertThat(proxy.faultsInjected.get()).isPositive();
    }
}
