package dev.ferry.e2e;

import dev.ferry.client.RemoteDatabase;
import dev.ferry.client.SyncListener;
import dev.ferry.client.SyncMode;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defects 1 and 2: paths where a remote was wedged for good or lost the application's row,
 * each reproduced the way a user meets it (the real CLI and server, the application writing with
 * {@code sqlite3} or a plain JDBC connection, the consolidated side with {@code psql}/{@code mariadb}).
 * Every remote SQL statement quotes its identifiers as an application on that remote would.
 */
abstract class RowStateScenarios {
    private static final String CUSTOMERS = "SELECT id, name, balance FROM customer ORDER BY id";
    private static final String ORDERS = "SELECT id, customer_id, note FROM orders ORDER BY id";

    private ConsolidatedFixture cons;
    private RunningFerry ferry;

    abstract String consolidatedKind();

    abstract String remoteKind();

    @BeforeEach
    void start() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50), (2, 'Grace', 19.99)");
        ferry = RunningFerry.start(cons, null, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        if (ferry != null) {
            ferry.close();
        }
    }

    private RemoteFixture remote(String id) throws Exception {
        RemoteFixture r = ferry.remote(remoteKind(), id);
        RunningFerry.sync(r);
        return r;
    }

    private static List<List<String>> notSynced(RemoteFixture r) throws Exception {
        return r.query("SELECT table_name, pk, state, error_code FROM ferry_row_state WHERE state <> 'synced' ORDER BY table_name, pk");
    }

    @Test
    void aRefusedParentDeleteNoLongerBlocksEveryLaterDownloadOfTheChildTheServerChanged() throws Exception {
        cons.jdbc("INSERT INTO orders (id, customer_id, note) VALUES (10, 1, 'first')");
        RemoteFixture a = remote("shop-a");
        a.app("DELETE FROM orders WHERE id = 10; DELETE FROM customer WHERE id = 1;");
        cons.client("UPDATE orders SET note = 'changed on the server' WHERE id = 10");

        Cli.Result first = RunningFerry.sync(a);
        assertThat(SyncScenarios.counts(first, "customer")).as("the delete of customer 1 is refused: order 10 still references it")
                .containsExactly(1L, 1L, 1L, 0L);
        assertThat(cons.query(ORDERS)).as("server-wins kept the server's order").containsExactly(List.of("10", "1", "changed on the server"));
        assertThat(a.query("SELECT id, name FROM customer ORDER BY 1")).as("the refused delete is undone with the server's row")
                .containsExactly(List.of("1", "Ada"), List.of("2", "Grace"));
        assertThat(a.query("SELECT id, note FROM orders")).as("so the server's change to the child arrives")
                .containsExactly(List.of("10", "changed on the server"));
        assertThat(notSynced(a)).as("the refusal stays visible to the application")
                .containsExactly(List.of("customer", "[1]", "error", "ROW_FOREIGN_KEY_VIOLATION"));

        cons.client("UPDATE orders SET note = 'and again' WHERE id = 10");
        RunningFerry.sync(a);
        assertThat(a.query("SELECT note FROM orders")).as("later downloads keep working").containsExactly(List.of("and again"));

        // The application decides: it deletes both again, now in one go, and the server takes it.
        a.app("DELETE FROM orders WHERE id = 10; DELETE FROM customer WHERE id = 1;");
        RunningFerry.sync(a);
        assertThat(cons.query(CUSTOMERS)).containsExactly(List.of("2", "Grace", "19.99"));
        assertThat(cons.query(ORDERS)).isEmpty();
        assertThat(notSynced(a)).isEmpty();
    }

    @Test
    void aDeleteRefusedBecauseAnotherRemoteReferencedTheRowBringsItBackSoTheReferencingRowArrives() throws Exception {
        RemoteFixture a = remote("shop-a");
        RemoteFixture b = remote("shop-b");
        a.app("INSERT INTO orders (id, customer_id, note) VALUES (10, 2, 'for Grace');");
        b.app("DELETE FROM customer WHERE id = 2;");
        RunningFerry.sync(a);

        Cli.Result r = RunningFerry.sync(b);
        assertThat(SyncScenarios.counts(r, "customer")).containsExactly(1L, 1L, 1L, 0L);
        assertThat(SyncScenarios.counts(r, "orders")).as("the order that made the delete fail arrives").containsExactly(0L, 1L, 0L, 0L);
        assertThat(b.query("SELECT id FROM customer ORDER BY 1")).containsExactly(List.of("1"), List.of("2"));
        assertThat(notSynced(b)).containsExactly(List.of("customer", "[2]", "error", "ROW_FOREIGN_KEY_VIOLATION"));
        RunningFerry.sync(b);
        RunningFerry.sync(b, "--download-only");
        assertThat(b.query("SELECT id, customer_id FROM orders")).containsExactly(List.of("10", "2"));
    }

    @Test
    void aDownloadedRowTheRemoteRefusesIsKeptOutRecordedAndHealedByALaterSync() throws Exception {
        RemoteFixture a = remote("shop-a");
        a.app("DELETE FROM customer WHERE id = 2;");
        cons.client("INSERT INTO orders (id, customer_id, note) VALUES (11, 2, 'new order for Grace')");
        cons.client("UPDATE customer SET name = 'Ada L.' WHERE id = 1");

        Cli.Result down = RunningFerry.sync(a, "--download-only");
        assertThat(SyncScenarios.counts(down, "orders")).as("order 11 needs customer 2, which this remote deleted").containsExactly(0L, 0L, 1L, 0L);
        assertThat(a.query("SELECT name FROM customer WHERE id = 1")).as("the rest of the download applied")
                .containsExactly(List.of("Ada L."));
        assertThat(notSynced(a)).containsExactly(Arrays.asList("customer", "[2]", "deleted", null), List.of("orders", "[11]", "error", "ROW_DOWNLOAD_BLOCKED"));
        assertThat(a.query("SELECT error_message FROM ferry_row_state WHERE table_name = 'orders'").get(0).get(0))
                .contains("not applied here").contains("asked for again");

        // The full sync uploads the delete; the server refuses it (order 11 references Grace) and sends
        // her back, and the blocked order is asked for again and now applies.
        RunningFerry.sync(a);
        assertThat(a.query("SELECT id, note FROM orders")).containsExactly(List.of("11", "new order for Grace"));
        assertThat(notSynced(a)).containsExactly(List.of("customer", "[2]", "error", "ROW_FOREIGN_KEY_VIOLATION"));
        assertThat(a.query("SELECT COUNT(*) FROM ferry_download_blocked")).containsExactly(List.of("0"));
    }

    /**
     * Issue 12: a SQLite remote writes downloaded rows in JDBC batches. Rows with local changes and rows
     * the remote refuses sit in the middle of batches here; each must come out as if written alone.
     */
    @Test
    void downloadedRowsAroundRefusedRowsAndLocalChangesApplyAsIfWrittenOneByOne() throws Exception {
        cons.jdbc(ordersInsert(100, 160, id -> 1));
        RemoteFixture a = remote("shop-a");
        a.app("DELETE FROM customer WHERE id = 2; UPDATE orders SET note = 'local' WHERE id = 120;"
                + " INSERT INTO order_line (order_id, line_no, qty) VALUES (140, 1, 3);");
        cons.jdbc(ordersInsert(200, 260, id -> id == 230 ? 2 : 1));
        cons.jdbc("DELETE FROM orders WHERE id >= 100 AND id < 160");

        Cli.Result down = RunningFerry.sync(a, "--download-only");
        assertThat(SyncScenarios.counts(down, "orders")).as("59 inserts and 58 deletes applied; order 230 (its customer is deleted here)"
                + " and the delete of order 140 (a local order line references it) refused").containsExactly(0L, 117L, 2L, 0L);
        List<List<String>> expected = new ArrayList<>();
        expected.add(List.of("120", "local"));
        expected.add(List.of("140", "order 140"));
        for (int id = 200; id < 260; id++) {
            if (id != 230) {
                expected.add(List.of(String.valueOf(id), "order " + id));
            }
        }
        assertThat(a.query("SELECT id, note FROM orders ORDER BY id")).containsExactlyElementsOf(expected);
        assertThat(a.query("SELECT table_name, pk, state, error_code FROM ferry_row_state WHERE state <> 'synced' AND table_name <> 'order_line'"
                + " ORDER BY table_name, pk")).containsExactly(Arrays.asList("customer", "[2]", "deleted", null),
                Arrays.asList("orders", "[120]", "updated", null), List.of("orders", "[140]", "error", "ROW_DELETE_BLOCKED"),
                List.of("orders", "[230]", "error", "ROW_DOWNLOAD_BLOCKED"));
    }

    private static String ordersInsert(int from, int to, IntUnaryOperator customer) {
        StringBuilder sql = new StringBuilder("INSERT INTO orders (id, customer_id, note) VALUES ");
        for (int id = from; id < to; id++) {
            sql.append(id == from ? "" : ", ").append("(").append(id).append(", ").append(customer.applyAsInt(id)).append(", 'order ").append(id).append("')");
        }
        return sql.toString();
    }

    @Test
    void aRejectedRowTheApplicationFixesWhileTheSyncRunsStaysPendingAndIsNotDeleted() throws Exception {
        RemoteFixture a = remote("shop-a");
        a.app("INSERT INTO customer (id, name, balance) VALUES (3, 'Linus', -5000);");
        SyncListener fixDuringTheSync = new SyncListener() {
            @Override
            public void phase(String phase) {
                if (phase.equals("apply-results")) {
                    try {
                        a.app("UPDATE customer SET balance = 7.25 WHERE id = 3;");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
        try (RemoteDatabase remote = RemoteDatabase.open(a.dbArg())) {
            assertThat(remote.sync(SyncMode.FULL, fixDuringTheSync).errors()).as("the server refused balance -5000").isEqualTo(1);
        }
        assertThat(notSynced(a)).as("the fixed row waits for the next upload, as the insert the server never took")
                .containsExactly(Arrays.asList("customer", "[3]", "inserted", null));

        RunningFerry.sync(a);
        assertThat(cons.query(CUSTOMERS)).contains(List.of("3", "Linus", "7.25"));
        assertThat(a.query("SELECT balance FROM customer WHERE id = 3")).containsExactly(List.of("7.25"));
        assertThat(notSynced(a)).isEmpty();
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_conflict")).as("no update-of-deleted conflict").containsExactly(List.of("0"));
    }
}
