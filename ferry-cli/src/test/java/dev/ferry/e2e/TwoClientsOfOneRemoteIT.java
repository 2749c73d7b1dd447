package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3: one remote, two clients. Two `ferry remote sync` commands on the same file at once never
 * interleave: the one that finds the remote's lock file taken (or, on H2, the database file open in the
 * other process) fails with REMOTE_BUSY before touching anything. And a second file of the same remote (a restored backup, a copy) that is one upload
 * behind is refused rather than told its new changes were already applied. Both are decided on the
 * remote side and by the progress counter, so one consolidated database (PostgreSQL) is enough.
 */
class TwoClientsOfOneRemoteIT extends SessionScenarioBase {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Test
    void aSecondSyncOfTheSameRemoteFileWhileOneIsRunningIsRefusedAsRemoteBusyAndNothingIsLostOrDoubled() throws Exception {
        twoSyncsOfOneRemoteFile("sqlite");
    }

    /**
     * Issue 10, defect 18: an embedded H2 file can be open in one process only, so the second sync
     * already fails to open it; that is the same situation, and must be the same retriable REMOTE_BUSY,
     * not a DATABASE_ERROR.
     */
    @Test
    void twoConcurrentSyncsOfOneH2RemoteFileAnswerTheSecondWithRemoteBusyNotADatabaseError() throws Exception {
        twoSyncsOfOneRemoteFile("h2");
    }

    private void twoSyncsOfOneRemoteFile(String kind) throws Exception {
        FerryServer server = startServer();
        RemoteFixture a = remote(server, "shop-a", kind);
        sync(a);
        // Quoted: the remote tables keep PostgreSQL's lower-case names, which H2 would otherwise upper-case.
        a.app("INSERT INTO customer VALUES (3, 'Linus', '7.25'); UPDATE customer SET name = 'Ada L.' WHERE id = 1;");

        Connection other = transaction();
        exec(other, "SELECT name FROM customer WHERE id = 1 FOR UPDATE"); // keeps the first sync's upload applying
        Path firstOut = Files.createTempFile("ferry-first-sync-", ".txt");
        try {
            // The first `ferry remote sync` is a process of its own, as two users' commands would be.
            Process first = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.ferry.cli.FerryCli", "remote", "sync", "--db", a.dbArg())
                    .redirectErrorStream(true).redirectOutput(firstOut.toFile()).start();
            try {
                awaitLockWaiters(1); // the first sync holds the remote's lock file and waits on the server

                Cli.Result second = Cli.run("remote", "sync", "--db", a.dbArg());
                assertThat(second.exitCode()).as(second.all()).isEqualTo(5);
                assertThat(second.err()).contains("error: REMOTE_BUSY").contains("another sync of")
                        .contains(a.dbArg().replaceFirst("\\.mv\\.db$", ""));

                other.commit();
                assertThat(first.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("first sync finished").isTrue();
                String out = Files.readString(firstOut, StandardCharsets.UTF_8);
                assertThat(first.exitValue()).as(out).isZero();
                assertThat(out).containsPattern("customer\\s+2\\s+0\\s+0\\s+0");
            } finally {
                first.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(firstOut);
        }
        assertThat(cons.query("SELECT outcome FROM ferry_sync_log WHERE remote_id = 'shop-a' ORDER BY id"))
                .as("the refused sync never reached the server").containsExactly(List.of("ok"), List.of("ok"));
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada L.,120.50", "2,Grace,19.99", "3,Linus,7.25"));
        assertThat(a.query("SELECT progress, pending_upload FROM ferry_state")).containsExactly(java.util.Arrays.asList("2", null));
        assertThat(a.query("SELECT id, name, balance FROM customer ORDER BY id")).isEqualTo(cons.query(CUSTOMERS));
        assertThat(a.query("SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced'")).as("rows not synced").isEmpty();
    }

    @Test
    void aCopyOfTheRemoteOneUploadBehindIsRefusedWithProgressMismatchInsteadOfHavingItsChangesTakenAsAlreadyApplied() throws Exception {
        FerryServer server = startServer();
        RemoteFixture a = remote(server, "shop-a");
        sync(a);
        RemoteFixture backup = track(a.copy("shop-a-backup")); // progress 1, nothing pending
        a.app("UPDATE customer SET name = 'Ada L.' WHERE id = 1;");
        sync(a); // the server is at upload 2 now
        // The user restores the backup and goes on working with it.
        Files.copy(Path.of(backup.dbArg()), Path.of(a.dbArg()), StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(Path.of(a.dbArg() + "-wal"));
        Files.deleteIfExists(Path.of(a.dbArg() + "-shm"));
        a.app("UPDATE customer SET name = 'Grace H.' WHERE id = 2;");
        List<List<String>> consolidated = cons.query(CUSTOMERS);

        // Twice: a refused upload must not be mistaken for one whose answer was lost on the next attempt either.
        for (int attempt = 1; attempt <= 2; attempt++) {
            Cli.Result r = Cli.run("remote", "sync", "--db", a.dbArg());
            assertThat(r.exitCode()).as("attempt " + attempt + ": " + r.all()).isEqualTo(4);
            assertThat(r.err()).contains("PROGRESS_MISMATCH").contains("remote has 1").contains("expects 2");
            assertThat(cons.query(CUSTOMERS)).isEqualTo(consolidated);
            assertThat(a.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced'"))
                    .as("the change is still pending, not marked synced").containsExactly(List.of("[2]", "updated"));
            assertThat(a.query("SELECT progress, pending_upload FROM ferry_state")).containsExactly(java.util.Arrays.asList("1", null));
        }
    }
}
