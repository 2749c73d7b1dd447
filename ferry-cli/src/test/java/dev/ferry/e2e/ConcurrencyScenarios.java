package dev.ferry.e2e;

import dev.ferry.client.SyncResult;
import dev.ferry.server.FerryServer;
import dev.ferry.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 3: a sync against real concurrent writers on the consolidated database. The test's own
 * transactions hold row locks so that each race happens in one chosen order, and
 * {@link #awaitLockWaiters} (pg_stat_activity / innodb_trx) says when each side is blocked: a real
 * deadlock with an upload, a second request for a remote whose upload is still applying, and the
 * application writing to the remote while its sync is on the wire. (Two syncs of one remote file:
 * {@link TwoClientsOfOneRemoteIT}.)
 */
abstract class ConcurrencyScenarios extends SessionScenarioBase {

    /**
     * Runs in the other application's transaction before it takes any lock, so that when it deadlocks
     * with an upload, the database picks the upload as the victim.
     */
    abstract void makeTheOtherTransactionWinDeadlocks(Connection other) throws Exception;

    @Test
    void anUploadThatDeadlocksWithAnotherTransactionIsRolledBackAppliedAgainOnceAndTheRetryIsCounted() throws Exception {
        cons.jdbc("INSERT INTO orders (id, customer_id, note) VALUES (100, 1, 'first')");
        cons.jdbc("INSERT INTO order_line (order_id, line_no, qty) VALUES (100, 1, 3)");
        FerryServer server = startServer();
        cons.jdbc("CREATE TABLE ballast (n INT)"); // created after the server started: not synchronized
        RemoteFixture a = remote(server, "shop-a");
        sync(a);
        // The upload locks, in apply order (parents first): customer 1 (A), orders 100 (C), order_line (100,1) (B).
        // The inserts would be rejected as duplicates if a replay saw the rolled-back attempt's rows.
        a.app("UPDATE customer SET name = 'Ada L.' WHERE id = 1; UPDATE orders SET note = 'rush' WHERE id = 100;"
                + " UPDATE order_line SET qty = 5 WHERE order_id = 100 AND line_no = 1;"
                + " INSERT INTO customer VALUES (10, 'Chain', '1.00'); INSERT INTO orders VALUES (110, 10, 'new');"
                + " INSERT INTO order_line VALUES (110, 1, 1), (110, 2, 2);");

        Connection other = transaction();
        Connection gate = transaction();
        makeTheOtherTransactionWinDeadlocks(other);
        exec(other, "SELECT qty FROM order_line WHERE order_id = 100 AND line_no = 1 FOR UPDATE"); // holds B
        exec(gate, "SELECT note FROM orders WHERE id = 100 FOR UPDATE");                          // holds C
        Future<Cli.Result> syncing = syncInBackground(a);
        awaitLockWaiters(1); // the upload holds A and waits for C
        Future<Object> otherWantsA = inBackground(() -> {
            exec(other, "SELECT name FROM customer WHERE id = 1 FOR UPDATE");
            return null;
        });
        awaitLockWaiters(2); // the other transaction holds B and waits for A
        // Open the gate: the upload takes C and asks for B, closing the cycle. The upload is the one that
        // started waiting last, so on PostgreSQL its own deadlock check finds the cycle; on MariaDB the
        // lighter transaction is rolled back. Either way the upload is the victim.
        gate.commit();
        result(otherWantsA); // the other transaction got A: the upload's attempt was rolled back
        other.commit();

        Cli.Result res = ok(result(syncing));
        assertThat(res.out()).containsPattern("The server replayed the upload \\d+ time\\(s\\) after deadlocks");
        assertThat(counts(res, "customer")).containsExactly(2L, 0L, 0L, 0L);
        assertThat(counts(res, "orders")).containsExactly(2L, 0L, 0L, 0L);
        assertThat(counts(res, "order_line")).containsExactly(3L, 0L, 0L, 0L);
        List<List<String>> log = cons.query("SELECT retries FROM ferry_sync_log WHERE remote_id = 'shop-a' AND outcome = 'ok' ORDER BY id");
        assertThat(log).hasSize(2);
        assertThat(Long.parseLong(log.get(1).get(0))).as("ferry_sync_log.retries of the deadlocked sync").isPositive();
        assertThat(server.service().retriesTotal()).isEqualTo(Long.parseLong(log.get(1).get(0)));

        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada L.,120.50", "2,Grace,19.99", "10,Chain,1.00"));
        assertThat(cons.query(ORDERS)).isEqualTo(rows("100,1,rush", "110,10,new"));
        assertThat(cons.query(LINES)).isEqualTo(rows("100,1,5", "110,1,1", "110,2,2"));
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_conflict")).containsExactly(List.of("0"));
        assertConverged(a);
        assertThat(counts(sync(a), "customer")).as("nothing left over on either side").containsExactly(0L, 0L, 0L, 0L);
    }

    @Test
    void aSecondRequestForARemoteWhoseUploadIsStillApplyingFailsWithSyncInProgressAndChangesNothing() throws Exception {
        FerryServer first = startServer();
        // Another server instance on the same database, where syncs wait at most one second for a remote's lock.
        FerryServer impatient = startServer(ServerConfig.LOCK_TIMEOUT.key(), "1");
        RemoteFixture a = remote(first, "shop-a");
        sync(a);
        a.app("INSERT INTO customer VALUES (3, 'Linus', '7.25'); UPDATE customer SET name = 'Ada L.' WHERE id = 1;");
        List<List<String>> before = cons.query(CUSTOMERS);

        Connection other = transaction();
        exec(other, "SELECT name FROM customer WHERE id = 1 FOR UPDATE");
        Future<SyncResult> firstSync = syncViaLibraryInBackground(a);
        awaitLockWaiters(1); // the first upload holds shop-a's ferry_remote row and waits for customer 1
        // The client that retries after its answer did not come: the same database, which has committed
        // that upload's marks, number and id, talking to the other server. (A copy taken before the
        // upload was built would be another database with an upload of its own: issue 10, defect 7.)
        RemoteFixture retrying = track(a.copy("shop-a-retry"));
        retrying.app("UPDATE ferry_state SET server_url = '" + url(impatient) + "';");

        Cli.Result second = Cli.run("remote", "sync", "--db", retrying.dbArg());
        assertThat(second.exitCode()).as(second.all()).isEqualTo(5);
        assertThat(second.err()).contains("error: SYNC_IN_PROGRESS").contains("shop-a");
        assertThat(firstSync).as("the first sync is still applying").isNotDone();
        assertThat(cons.query(CUSTOMERS)).as("the second request applied nothing").isEqualTo(before);
        assertThat(cons.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'")).containsExactly(List.of("1"));
        assertThat(cons.query("SELECT outcome, error_code FROM ferry_sync_log WHERE remote_id = 'shop-a' AND outcome <> 'ok'"))
                .containsExactly(List.of("failed", "SYNC_IN_PROGRESS"));
        assertThat(retrying.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced' ORDER BY pk"))
                .as("the retrying client's rows are still pending").containsExactly(List.of("[1]", "updated"), List.of("[3]", "inserted"));

        other.commit();
        SyncResult done = result(firstSync);
        assertThat(done.uploaded()).isEqualTo(2);
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada L.,120.50", "2,Grace,19.99", "3,Linus,7.25"));

        // The retrying client learns that its upload was applied by the first attempt: nothing is applied twice.
        Cli.Result retried = sync(retrying);
        assertThat(retried.out()).contains("recovered a lost upload acknowledgement");
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada L.,120.50", "2,Grace,19.99", "3,Linus,7.25"));
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_sync_log WHERE remote_id = 'shop-a' AND outcome = 'ack-recovered'"))
                .containsExactly(List.of("1"));
        assertConverged(retrying);
        assertConverged(a);
    }

    @Test
    void rowsTheApplicationChangesDuringASyncStayPendingAreNotOverwrittenByItsDownloadAndGoUpWithTheNext() throws Exception {
        // column-merge, so the one real conflict below (remote name vs consolidated balance) keeps both changes.
        FerryServer server = startServer(ServerConfig.CONFLICTS_DEFAULT.key(), "column-merge");
        RemoteFixture a = remote(server, "shop-a");
        sync(a);
        a.app("UPDATE customer SET name = 'Ada L.' WHERE id = 1; INSERT INTO customer VALUES (3, 'Linus', '7.25');");
        cons.client("UPDATE customer SET balance = 55.55 WHERE id = 2"); // this sync will download it

        Connection other = transaction();
        exec(other, "SELECT name FROM customer WHERE id = 1 FOR UPDATE");
        Future<Cli.Result> syncing = syncInBackground(a);
        awaitLockWaiters(1); // the upload is on the server and the remote file is free
        // The application keeps writing: a row this sync uploaded, a row it uploaded as an insert, a row it
        // is about to download, and a new one.
        a.app("UPDATE customer SET name = 'Ada Lovelace' WHERE id = 1; DELETE FROM customer WHERE id = 3;"
                + " UPDATE customer SET name = 'Grace H.' WHERE id = 2; INSERT INTO customer VALUES (4, 'Edsger', '3.10');");
        other.commit();
        Cli.Result res = ok(result(syncing));

        assertThat(counts(res, "customer")).as("the downloaded row 2 is skipped: it has a local change").containsExactly(2L, 0L, 0L, 0L);
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada L.,120.50", "2,Grace,55.55", "3,Linus,7.25"));
        assertThat(a.query(CUSTOMERS)).as("the remote keeps every local change").isEqualTo(rows("1,Ada Lovelace,120.50", "2,Grace H.,19.99", "4,Edsger,3.10"));
        assertThat(a.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced' ORDER BY pk")).containsExactly(
                List.of("[1]", "updated"), List.of("[2]", "updated"), List.of("[3]", "deleted"), List.of("[4]", "inserted"));

        Cli.Result next = sync(a);
        assertThat(counts(next, "customer")).as("4 changes go up; row 2 meets the consolidated change and comes back merged")
                .containsExactly(4L, 1L, 0L, 1L);
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada Lovelace,120.50", "2,Grace H.,55.55", "4,Edsger,3.10"));
        assertConverged(a);
    }
}
