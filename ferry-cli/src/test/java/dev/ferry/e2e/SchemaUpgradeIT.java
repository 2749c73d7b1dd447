package dev.ferry.e2e;

import dev.ferry.server.config.ServerConfig;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13, schema changes without re-creating remotes: the consolidated table gains a column and loses
 * one, a table is added, the server restarts; a remote holding changes it made under the old schema (an
 * update, a delete, an insert) syncs with the real CLI and is upgraded in that sync: its changes reach
 * the server without touching the column it did not know (the server's values stay), it gets the new
 * column's values and the new table, the dropped column is gone, and it syncs on as any remote. Half
 * the cases sync download-only first, so the remote is upgraded while its changes are still pending and
 * sends them afterwards with the old schema's columns.
 */
class SchemaUpgradeIT {
    @ParameterizedTest
    @CsvSource({"postgresql, sqlite", "mariadb, h2"})
    void aTableTakenOutOfTheConfigurationLosesItsTrackingAndComesBackWhole(String consolidated, String remote) throws Exception {
        boolean pg = consolidated.equals("postgresql");
        ConsolidatedFixture cons = new ConsolidatedFixture(pg ? TestDatabases.postgres() : TestDatabases.mariadb());
        cons.jdbc("CREATE TABLE customer (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)");
        cons.jdbc("CREATE TABLE audit (id INTEGER PRIMARY KEY, what VARCHAR(40) NOT NULL)");
        cons.jdbc("INSERT INTO audit (id, what) VALUES (1, 'first')");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of(ServerConfig.PORT.key(), String.valueOf(port),
                ServerConfig.TABLES.key(), "customer,audit"))) {
            RemoteFixture r = ferry.remote(remote, "site-" + remote);
            RunningFerry.sync(r);
            String triggers = pg ? "SELECT COUNT(*) FROM information_schema.triggers WHERE event_object_table = 'audit' AND event_object_schema = current_schema()"
                    : "SELECT COUNT(*) FROM information_schema.triggers WHERE event_object_table = 'audit' AND event_object_schema = DATABASE()";
            assertThat(Integer.parseInt(cons.query(triggers).get(0).get(0))).isPositive();
            String auditShadow = cons.query("SELECT shadow_name FROM ferry_table WHERE table_name = 'audit'").get(0).get(0);

            ferry.restart(Map.of(ServerConfig.TABLES.key(), "customer"));
            assertThat(cons.query(triggers)).as("the table's writes cost nothing any more").containsExactly(List.of("0"));
            assertThat(cons.query("SELECT COUNT(*) FROM ferry_table WHERE table_name = 'audit'")).containsExactly(List.of("0"));
            assertThat(cons.query("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + auditShadow + "' AND table_schema = "
                    + (pg ? "current_schema()" : "DATABASE()"))).as("its shadow table is gone").containsExactly(List.of("0"));
            cons.client("INSERT INTO audit (id, what) VALUES (2, 'while out')");
            cons.client("DELETE FROM audit WHERE id = 1");
            r.app("INSERT INTO customer (id, name) VALUES (1, 'Ada')");
            RunningFerry.sync(r);
            assertThat(cons.query("SELECT name FROM customer")).containsExactly(List.of("Ada"));
            assertThat(r.query("SELECT table_name FROM ferry_row_state WHERE table_name = 'audit'")).as("no longer synchronized here").isEmpty();

            // Taken back in: provisioned afresh, and the remote downloads it whole, with what was written while it was out.
            ferry.restart(Map.of(ServerConfig.TABLES.key(), "customer,audit"));
            RunningFerry.sync(r);
            assertThat(r.query("SELECT id, what FROM audit ORDER BY id")).as("what was written and deleted while it was out")
                    .containsExactly(List.of("2", "while out"));
            cons.client("INSERT INTO audit (id, what) VALUES (3, 'after')");
            RunningFerry.sync(r);
            assertThat(r.query("SELECT COUNT(*) FROM audit")).containsExactly(List.of("2"));
        }
    }

    @ParameterizedTest
    @CsvSource({"postgresql, sqlite, full", "mariadb, h2, full", "postgresql, h2, download-only", "mariadb, sqlite, download-only"})
    void aRemoteWithChangesMadeUnderTheOldSchemaIsUpgradedByItsNextSyncAndLosesNothing(String consolidated, String remote, String firstSync) throws Exception {
        boolean pg = consolidated.equals("postgresql");
        ConsolidatedFixture cons = new ConsolidatedFixture(pg ? TestDatabases.postgres() : TestDatabases.mariadb());
        cons.jdbc("CREATE TABLE customer (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, legacy VARCHAR(10))");
        cons.jdbc("INSERT INTO customer (id, name, legacy) VALUES (1, 'Ada', 'x'), (2, 'Bob', 'x'), (3, 'Cy', 'x')");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of(ServerConfig.PORT.key(), String.valueOf(port)))) {
            RemoteFixture r = ferry.remote(remote, "site-" + remote);
            RemoteFixture untouched = ferry.remote(remote, "quiet-" + remote);
            RunningFerry.sync(r);
            RunningFerry.sync(untouched);

            // Offline, under the old schema.
            r.app("UPDATE customer SET name = 'Ada L.' WHERE id = 1");
            r.app("DELETE FROM customer WHERE id = 2");
            r.app("INSERT INTO customer (id, name, legacy) VALUES (4, 'Dee', 'y')");

            // The server's schema changes; the server restarts on it.
            // On MariaDB in the middle, as a DBA may: the remotes add it at the end, and must still track each column by name.
            cons.client("ALTER TABLE customer ADD COLUMN email VARCHAR(40)" + (pg ? "" : " AFTER id"));
            cons.client("UPDATE customer SET email = 'ada@example.com' WHERE id = 1");
            cons.client("UPDATE customer SET email = 'cy@example.com' WHERE id = 3");
            cons.client("ALTER TABLE customer DROP COLUMN legacy");
            cons.jdbc("CREATE TABLE note (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer (id), body VARCHAR(40) NOT NULL)");
            cons.client("INSERT INTO note (id, customer_id, body) VALUES (1, 3, 'hello')");
            ferry.restart();

            if (firstSync.equals("download-only")) {
                // Upgraded before its changes are sent: they go up after the upgrade, in the old schema's columns.
                RunningFerry.sync(r, "--download-only");
                assertThat(r.query("SELECT name FROM customer WHERE id = 1")).as("the local change stands").containsExactly(List.of("Ada L."));
                assertThat(r.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("3"));
            }
            RunningFerry.sync(r);
            assertThat(cons.query("SELECT id, name, email FROM customer ORDER BY id")).containsExactly(
                    List.of("1", "Ada L.", "ada@example.com"), List.of("3", "Cy", "cy@example.com"), Arrays.asList("4", "Dee", null));
            assertThat(cons.query("SELECT COUNT(*) FROM ferry_conflict")).as("the old schema's changes met no conflict").containsExactly(List.of("0"));
            assertThat(r.query("SELECT id, name, email FROM customer ORDER BY id")).containsExactly(
                    List.of("1", "Ada L.", "ada@example.com"), List.of("3", "Cy", "cy@example.com"), Arrays.asList("4", "Dee", null));
            assertThat(r.query("SELECT id, customer_id, body FROM note")).containsExactly(List.of("1", "3", "hello"));
            assertThat(r.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("0"));
            assertThatThrownBy(() -> r.query("SELECT legacy FROM customer")).as("the dropped column is gone").hasMessageContaining("legacy");

            // Synced on as any remote, both ways, in the new columns and table too.
            r.app("UPDATE customer SET email = 'cy@new.example.com' WHERE id = 3");
            r.app("INSERT INTO note (id, customer_id, body) VALUES (2, 1, 'hi')");
            cons.client("UPDATE customer SET email = 'dee@example.com' WHERE id = 4");
            RunningFerry.sync(r);
            assertThat(cons.query("SELECT email FROM customer WHERE id = 3")).containsExactly(List.of("cy@new.example.com"));
            assertThat(cons.query("SELECT body FROM note WHERE id = 2")).containsExactly(List.of("hi"));
            assertThat(r.query("SELECT email FROM customer WHERE id = 4")).containsExactly(List.of("dee@example.com"));

            // A remote with nothing pending is upgraded just the same.
            RunningFerry.sync(untouched);
            assertThat(untouched.query("SELECT id, name, email FROM customer ORDER BY id")).isEqualTo(cons.query("SELECT id, name, email FROM customer ORDER BY id"));
            assertThat(untouched.query("SELECT COUNT(*) FROM note")).containsExactly(List.of("2"));

            // Upgraded once: the next sync of an unchanged remote downloads nothing (a version that differed on
            // every sync would download everything again each time).
            RunningFerry.sync(r);
            assertThat(cons.query("SELECT rows_downloaded FROM ferry_sync_log WHERE remote_id = 'site-" + remote + "' ORDER BY id DESC LIMIT 1"))
                    .containsExactly(List.of("0"));
        }
    }
}
