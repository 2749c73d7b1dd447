package dev.ferry.e2e;

import dev.ferry.core.schema.SyncSchema;
import dev.ferry.dialect.h2.H2RemoteDialect;
import dev.ferry.dialect.remote.RemoteCatalog;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: on an H2 remote made by {@code ferry remote init}, the application's plain SQL names the
 * tables and columns as it does on the server, unquoted ({@code UPDATE customer SET first_name = ...}),
 * on a connection with H2's default settings: H2 folds those names to upper case, and the remote's
 * tables are created under them. Names that need quotes on the server ({@code "Order Lines"},
 * {@code "customerId"}, the H2 keyword {@code year}) keep the server's spelling, quoted. Syncs, a
 * discard and a download file all reach the tables under those names. A remote made before, whose
 * tables carry the server's lower-case names quoted, keeps them and keeps syncing.
 */
class H2RemoteIdentifiersIT {
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void theApplicationsUnquotedSqlReachesTheTablesAndEveryChangeSyncsBothWays(String kind) throws Exception {
        ConsolidatedFixture cons = consolidated(kind);
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote("h2", "site-" + kind);
            RunningFerry.sync(r);
            assertThat(r.query("SELECT id, first_name FROM customer ORDER BY id")).as("downloaded rows, read unquoted")
                    .containsExactly(List.of("1", "Ada"), List.of("2", "Grace"));

            r.app("INSERT INTO customer (id, first_name) VALUES (3, 'Linus')");
            r.app("UPDATE customer SET first_name = 'Ada L.' WHERE id = 1");
            r.app("DELETE FROM customer WHERE id = 2");
            r.app("UPDATE customer SET \"year\" = 2000 WHERE id = 3");
            r.app("INSERT INTO \"Order Lines\" (\"Line Id\", \"customerId\", qty) VALUES (11, 3, 5)");
            r.app("UPDATE \"Order Lines\" SET qty = 4 WHERE \"Line Id\" = 10");
            assertThat(r.query("SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced' ORDER BY table_name, pk"))
                    .as("Ferry's own records keep the server's names").containsExactly(
                            List.of("Order Lines", "[10]", "updated"), List.of("Order Lines", "[11]", "inserted"),
                            List.of("customer", "[1]", "updated"), List.of("customer", "[2]", "deleted"), List.of("customer", "[3]", "inserted"));
            RunningFerry.sync(r);
            assertThat(cons.query("SELECT id, first_name, " + q(kind, "year") + " FROM customer ORDER BY id"))
                    .containsExactly(List.of("1", "Ada L.", "1990"), java.util.Arrays.asList("3", "Linus", "2000"));
            assertThat(cons.query("SELECT " + q(kind, "Line Id") + ", " + q(kind, "customerId") + ", qty FROM " + q(kind, "Order Lines")
                    + " ORDER BY 1")).containsExactly(List.of("10", "1", "4"), List.of("11", "3", "5"));

            cons.jdbc("INSERT INTO customer (id, first_name) VALUES (4, 'Edsger')");
            cons.jdbc("UPDATE customer SET first_name = 'Linus T.' WHERE id = 3");
            cons.jdbc("UPDATE " + q(kind, "Order Lines") + " SET qty = 9 WHERE " + q(kind, "Line Id") + " = 11");
            RunningFerry.sync(r);
            assertThat(r.query("SELECT id, first_name, \"year\" FROM customer ORDER BY id")).containsExactly(
                    List.of("1", "Ada L.", "1990"), List.of("3", "Linus T.", "2000"), java.util.Arrays.asList("4", "Edsger", null));
            assertThat(r.query("SELECT \"Line Id\", qty FROM \"Order Lines\" ORDER BY 1")).containsExactly(List.of("10", "4"), List.of("11", "9"));

            // A row the server refuses, and `ferry remote discard` puts the server's version back under the local name.
            r.app("UPDATE customer SET first_name = 'refused' WHERE id = 1");
            Cli.run("remote", "sync", "--db", r.dbArg());
            assertThat(r.query("SELECT pk, state FROM ferry_row_state WHERE table_name = 'customer' AND state <> 'synced'"))
                    .containsExactly(List.of("[1]", "error"));
            Cli.Result discarded = Cli.run("remote", "discard", "--db", r.dbArg(), "--table", "customer", "--key", "1");
            assertThat(discarded.exitCode()).as(discarded.all()).isZero();
            assertThat(r.query("SELECT first_name FROM customer WHERE id = 1")).containsExactly(List.of("Ada L."));

            // A download file writes under the local names too.
            cons.jdbc("UPDATE customer SET first_name = 'by file' WHERE id = 4");
            Path dir = Files.createTempDirectory("ferry-h2-names-");
            try {
                Path file = dir.resolve("site.fdl");
                Cli.Result created = Cli.run("download-file", "create", "--consolidated", cons.db.url(), "--remote-id", "site-" + kind,
                        "--out", file.toString());
                assertThat(created.exitCode()).as(created.all()).isZero();
                Cli.Result applied = Cli.run("download-file", "apply", "--db", r.dbArg(), "--file", file.toString());
                assertThat(applied.exitCode()).as(applied.all()).isZero();
            } finally {
                try (var s = Files.walk(dir)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            assertThat(r.query("SELECT first_name FROM customer WHERE id = 4")).containsExactly(List.of("by file"));
            Cli.Result status = Cli.run("remote", "status", "--db", r.dbArg());
            assertThat(status.exitCode()).as(status.all()).isZero();
            assertThat(r.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("0"));
        }
    }

    /**
     * A remote made before issue 13 has the server's names exactly ({@code "customer"."first_name"}) and no
     * {@code ferry_state.identifier_case}. Made here from a new remote: its tables renamed to those names and
     * its tracking installed again by the dialect as it was then.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aRemoteMadeWithTheServersExactNamesKeepsSyncing(String kind) throws Exception {
        ConsolidatedFixture cons = consolidated(kind);
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote("h2", "old-" + kind);
            RunningFerry.sync(r);
            try (Connection c = DriverManager.getConnection(r.url()); Statement s = c.createStatement()) {
                s.execute("DROP VIEW ferry_row_state");
                s.execute("ALTER TABLE CUSTOMER RENAME TO \"customer\"");
                for (String col : List.of("id", "first_name")) {
                    s.execute("ALTER TABLE \"customer\" ALTER COLUMN " + col.toUpperCase() + " RENAME TO \"" + col + "\"");
                }
                s.execute("ALTER TABLE \"Order Lines\" ALTER COLUMN QTY RENAME TO \"qty\"");
                H2RemoteDialect.exactNames().installTracking(c, SyncSchema.of(RemoteCatalog.readTables(c)));
                s.execute("ALTER TABLE ferry_state DROP COLUMN identifier_case");
            }
            assertThat(r.query("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'CUSTOMER'")).containsExactly(List.of("0"));

            r.app("UPDATE \"customer\" SET \"first_name\" = 'old style' WHERE \"id\" = 1");
            r.app("INSERT INTO \"customer\" (\"id\", \"first_name\") VALUES (5, 'Old')");
            r.app("UPDATE \"Order Lines\" SET \"qty\" = 7 WHERE \"Line Id\" = 10");
            RunningFerry.sync(r);
            assertThat(cons.query("SELECT id, first_name FROM customer ORDER BY id"))
                    .containsExactly(List.of("1", "old style"), List.of("2", "Grace"), List.of("5", "Old"));
            assertThat(cons.query("SELECT qty FROM " + q(kind, "Order Lines"))).containsExactly(List.of("7"));

            cons.jdbc("UPDATE customer SET first_name = 'Grace H.' WHERE id = 2");
            RunningFerry.sync(r);
            assertThat(r.query("SELECT \"id\", \"first_name\" FROM \"customer\" ORDER BY \"id\"")).containsExactly(
                    List.of("1", "old style"), List.of("2", "Grace H."), List.of("5", "Old"));
            assertThat(r.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("0"));
        }
    }

    private static ConsolidatedFixture consolidated(String kind) throws Exception {
        boolean pg = kind.equals("postgresql");
        ConsolidatedFixture cons = new ConsolidatedFixture(pg ? TestDatabases.postgres() : TestDatabases.mariadb());
        cons.jdbc("CREATE TABLE customer (id INTEGER PRIMARY KEY, first_name VARCHAR(40) CHECK (first_name <> 'refused'), "
                + q(kind, "year") + " INTEGER)" + (pg ? "" : " ENGINE=InnoDB"));
        cons.jdbc("CREATE TABLE " + q(kind, "Order Lines") + " (" + q(kind, "Line Id") + " INTEGER PRIMARY KEY, " + q(kind, "customerId")
                + " INTEGER NOT NULL, qty INTEGER, FOREIGN KEY (" + q(kind, "customerId") + ") REFERENCES customer (id))" + (pg ? "" : " ENGINE=InnoDB"));
        cons.jdbc("INSERT INTO customer VALUES (1, 'Ada', 1990), (2, 'Grace', 1991)");
        cons.jdbc("INSERT INTO " + q(kind, "Order Lines") + " VALUES (10, 1, 3)");
        return cons;
    }

    /** A name quoted as the consolidated database quotes it. */
    private static String q(String kind, String name) {
        return kind.equals("postgresql") ? "\"" + name + "\"" : "`" + name + "`";
    }
}
