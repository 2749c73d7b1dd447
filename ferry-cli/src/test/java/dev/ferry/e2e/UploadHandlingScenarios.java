package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import dev.ferry.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 3: how the server holds and applies an upload. The all-or-nothing policy; an upload too
 * large for memory, spilled to temporary files and read again from the start when replayed; and
 * rows the consolidated database changes on the way in (a BEFORE trigger), which go back to the
 * remote in the same sync while unchanged rows are not echoed.
 */
abstract class UploadHandlingScenarios extends SessionScenarioBase {

    /** DDL of BEFORE INSERT and BEFORE UPDATE triggers on customer that upper-case {@code name}. */
    abstract List<String> upperCaseCustomerNames();

    /**
     * DDL of an AFTER INSERT trigger on customer, named to fire before Ferry's capture trigger, that
     * inserts order {@code id * 100} ('welcome') for the new customer and, where the database allows a
     * trigger to write its own table, adds 1.00 to the new customer's balance.
     */
    abstract List<String> welcomeOrders();

    /** Whether {@link #welcomeOrders} also changes the inserted customer row. */
    abstract boolean welcomeOrdersChangeTheCustomer();

    @Test
    void underAllOrNothingOneBadRowFailsTheWholeUploadNamingItAndNothingIsAppliedUntilItIsFixed() throws Exception {
        FerryServer server = startServer(ServerConfig.UPLOAD_POLICY.key(), "all-or-nothing");
        RemoteFixture a = remote(server, "shop-a");
        sync(a);
        // Good rows in every table and of every kind, and one the consolidated CHECK (balance > -1000) refuses.
        a.app("INSERT INTO customer VALUES (10, 'Chain', '1.00'); INSERT INTO orders VALUES (100, 10, 'first');"
                + " INSERT INTO order_line VALUES (100, 1, 3); UPDATE customer SET name = 'Ada L.' WHERE id = 1;"
                + " DELETE FROM customer WHERE id = 2; INSERT INTO customer VALUES (20, 'Overdrawn', '-5000.00');");
        List<List<String>> customers = cons.query(CUSTOMERS);
        List<List<String>> remoteBefore = a.query(CUSTOMERS);

        Cli.Result res = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(res.exitCode()).as(res.all()).isEqualTo(8);
        assertThat(res.err()).contains("error: UPLOAD_REJECTED").contains("row [20] of customer").contains("ROW_CONSTRAINT_VIOLATION");
        assertThat(cons.query(CUSTOMERS)).as("consolidated unchanged").isEqualTo(customers);
        assertThat(cons.query(ORDERS)).isEmpty();
        assertThat(cons.query(LINES)).isEmpty();
        assertThat(cons.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'")).containsExactly(List.of("1"));
        assertThat(a.query("SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced' ORDER BY table_name, pk"))
                .as("every row still pending, none in error").containsExactly(
                        List.of("customer", "[10]", "inserted"), List.of("customer", "[1]", "updated"), List.of("customer", "[20]", "inserted"),
                        List.of("customer", "[2]", "deleted"), List.of("order_line", "[100,1]", "inserted"), List.of("orders", "[100]", "inserted"));
        assertThat(a.query(CUSTOMERS)).isEqualTo(remoteBefore);

        a.app("UPDATE customer SET balance = '-5.00' WHERE id = 20;");
        Cli.Result fixed = sync(a);
        assertThat(counts(fixed, "customer")).containsExactly(4L, 0L, 0L, 0L);
        assertThat(counts(fixed, "orders")).containsExactly(1L, 0L, 0L, 0L);
        assertThat(counts(fixed, "order_line")).containsExactly(1L, 0L, 0L, 0L);
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada L.,120.50", "10,Chain,1.00", "20,Overdrawn,-5.00"));
        assertThat(cons.query(LINES)).isEqualTo(rows("100,1,3"));
        assertConverged(a);
    }

    @Test
    void anUploadLargerThanTheSpillThresholdIsHeldInTemporaryFilesReplayedFromThemAndAppliedExactly() throws Exception {
        cons.jdbc("INSERT INTO customer (id, name, balance) SELECT n, CONCAT('c', n), n FROM " + cons.numbers(3, 1000));
        cons.jdbc("INSERT INTO orders (id, customer_id, note) SELECT n, n, CONCAT('o', n) FROM " + cons.numbers(1, 1000));
        // A one-second lock timeout, so a lock held by the test makes the server roll the upload back and
        // apply it again, reading the spilled rows a second time.
        FerryServer server = startServer(ServerConfig.SPILL_ROWS.key(), "100", ServerConfig.LOCK_TIMEOUT.key(), "1");
        RemoteFixture a = remote(server, "shop-a");
        assertThat(counts(sync(a), "orders")).containsExactly(0L, 1000L, 0L, 0L);
        String upTo = "WITH RECURSIVE n(i) AS (SELECT 2001 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) ";
        a.app(upTo + "INSERT INTO customer SELECT i, 'new ' || i, printf('%d.25', i % 100) FROM n;"
                + upTo + "INSERT INTO orders SELECT i, i, 'order ' || i FROM n;"
                + upTo + "INSERT INTO order_line SELECT i, l.no, i % 50 + l.no FROM n, (SELECT 1 AS no UNION ALL SELECT 2) l;"
                + " UPDATE customer SET name = name || ' updated' WHERE id BETWEEN 301 AND 800;"
                // moved to a customer inserted by the same upload: applied after it, parents first
                + " UPDATE orders SET customer_id = 2001, note = 'moved' WHERE id BETWEEN 801 AND 900;"
                // children first on the remote; the server must order the deletes itself
                + " DELETE FROM orders WHERE id <= 300; DELETE FROM customer WHERE id BETWEEN 3 AND 300;");
        Set<Path> before = spillDirectories();

        Connection other = transaction();
        exec(other, "SELECT name FROM customer WHERE id = 301 FOR UPDATE");
        Future<Cli.Result> syncing = syncInBackground(a);
        awaitLockWaiters(1); // the whole upload is held and applying
        Set<Path> spilled = spillDirectories().stream().filter(p -> !before.contains(p)).collect(Collectors.toSet());
        assertThat(spilled).as("the held upload spilled to a temporary directory").isNotEmpty();
        assertThat(spilled.stream().anyMatch(UploadHandlingScenarios::holdsRows)).as("with rows in it").isTrue();
        await("the upload rolled back on the lock timeout").atMost(PATIENCE).until(() -> server.service().retriesTotal() >= 1);
        other.commit();

        Cli.Result res = ok(result(syncing));
        assertThat(counts(res, "customer")).containsExactly(1798L, 0L, 0L, 0L);
        assertThat(counts(res, "orders")).containsExactly(1400L, 0L, 0L, 0L);
        assertThat(counts(res, "order_line")).containsExactly(2000L, 0L, 0L, 0L);
        assertThat(cons.query("SELECT retries FROM ferry_sync_log WHERE remote_id = 'shop-a' AND outcome = 'ok' ORDER BY id DESC").get(0).get(0))
                .isNotEqualTo("0");
        assertThat(cons.query("SELECT COUNT(*), SUM(qty) FROM order_line")).containsExactly(List.of("2000", "52000"));
        assertThat(cons.query("SELECT COUNT(*) FROM customer WHERE name LIKE '% updated'")).containsExactly(List.of("500"));
        assertThat(cons.query("SELECT MIN(id), COUNT(*) FROM orders")).containsExactly(List.of("301", "1700"));
        assertConverged(a);
        await("temporary files removed").atMost(Duration.ofSeconds(10)).until(() -> spilled.stream().noneMatch(Files::exists));
    }

    @Test
    void aRowTheConsolidatedDatabaseChangesOnTheWayInIsSentBackInTheSameSyncAndUnchangedRowsAreNotEchoed() throws Exception {
        for (String ddl : upperCaseCustomerNames()) {
            cons.jdbc(ddl);
        }
        FerryServer server = startServer();
        RemoteFixture a = remote(server, "shop-a");
        sync(a);
        // The trigger changes 7 and 1; 8 and 2 arrive already upper-case.
        a.app("INSERT INTO customer VALUES (7, 'barbara', '1.00'), (8, 'FRANCES', '2.00');"
                + " UPDATE customer SET name = 'ada l.' WHERE id = 1; UPDATE customer SET name = 'GRACE H.' WHERE id = 2;");
        Cli.Result res = sync(a);
        assertThat(counts(res, "customer")).as("4 up, the 2 rows the trigger changed come back").containsExactly(4L, 2L, 0L, 0L);
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,ADA L.,120.50", "2,GRACE H.,19.99", "7,BARBARA,1.00", "8,FRANCES,2.00"));
        assertConverged(a);
        assertThat(counts(sync(a), "customer")).containsExactly(0L, 0L, 0L, 0L);
    }

    /**
     * Rows the consolidated database writes by itself while it applies an upload (a trigger inserting
     * into another synchronized table, or writing the uploaded row again) are not the remote's own: they
     * come down in the same sync (issue 12: the capture trigger tags only the rows of the server's own
     * statements, and a row changed after its write is checked, not assumed).
     */
    @Test
    void rowsTheConsolidatedDatabaseWritesWhileApplyingAnUploadComeBackInTheSameSync() throws Exception {
        for (String ddl : welcomeOrders()) {
            cons.jdbc(ddl);
        }
        FerryServer server = startServer();
        RemoteFixture a = remote(server, "shop-a");
        sync(a);
        a.app("INSERT INTO customer VALUES (60, 'Welcome', '5.00'), (61, 'Twice', '7.00');");
        Cli.Result res = sync(a);
        boolean changed = welcomeOrdersChangeTheCustomer();
        assertThat(counts(res, "orders")).as("the trigger's orders come down").containsExactly(0L, 2L, 0L, 0L);
        assertThat(counts(res, "customer")).as("the customers come back only if the trigger changed them")
                .containsExactly(2L, changed ? 2L : 0L, 0L, 0L);
        assertThat(a.query("SELECT id, customer_id, note FROM orders WHERE id >= 6000 ORDER BY id"))
                .containsExactly(List.of("6000", "60", "welcome"), List.of("6100", "61", "welcome"));
        assertThat(a.query("SELECT balance FROM customer WHERE id = 60")).containsExactly(List.of(changed ? "6.00" : "5.00"));
        assertConverged(a);
        assertThat(counts(sync(a), "orders")).containsExactly(0L, 0L, 0L, 0L);
    }

    /**
     * A refused delete brings the server's row back in the same sync, whatever the key's type: the key
     * the rejection reports is in its wire form (a decimal as text), which the server once compared as
     * a number and failed the whole sync with INTERNAL, every time (issue 12).
     */
    @Test
    void aRefusedDeleteOfARowWithADecimalKeyBringsTheRowBack() throws Exception {
        cons.jdbc("CREATE TABLE price_band (band NUMERIC(5,2) NOT NULL PRIMARY KEY, label VARCHAR(20))");
        cons.jdbc("CREATE TABLE product (id BIGINT NOT NULL PRIMARY KEY, band NUMERIC(5,2) NOT NULL, FOREIGN KEY (band) REFERENCES price_band (band))");
        cons.jdbc("INSERT INTO price_band VALUES (1.50, 'cheap')");
        FerryServer server = startServer();
        RemoteFixture a = remote(server, "shop-a");
        sync(a);
        a.app("DELETE FROM price_band;");
        cons.client("INSERT INTO product VALUES (1, 1.50)");
        Cli.Result res = sync(a);
        assertThat(counts(res, "price_band")).as("the delete is refused and the row comes back").containsExactly(1L, 1L, 1L, 0L);
        assertThat(counts(res, "product")).containsExactly(0L, 1L, 0L, 0L);
        assertThat(a.query("SELECT band, label FROM price_band")).containsExactly(List.of("1.50", "cheap"));
        assertThat(a.query("SELECT id, band FROM product")).containsExactly(List.of("1", "1.50"));
    }

    /** Directories the server's held uploads spill into (HeldUpload: ferry-upload-* under java.io.tmpdir). */
    private static Set<Path> spillDirectories() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("ferry-upload-") && Files.isDirectory(p)).collect(Collectors.toSet());
        }
    }

    private static boolean holdsRows(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("rows-"));
        } catch (IOException e) {
            return false; // removed meanwhile: not ours, or already cleaned up
        }
    }
}
