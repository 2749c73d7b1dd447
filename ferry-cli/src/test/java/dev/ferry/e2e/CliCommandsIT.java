package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** CLI contracts outside a sync: user management and provisioning refusals, with their exit codes. */
class CliCommandsIT {
    @Test
    void userAddStoresASaltedHashAndRefusesADuplicate() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            Cli.Result ok = Cli.run("user", "add", "--consolidated", db.url(), "--name", "alice", "--password", "s3cret");
            assertThat(ok.exitCode()).as(ok.all()).isZero();
            assertThat(ok.out()).contains("Added user alice");
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT password_hash, salt, iterations FROM ferry_user WHERE user_name = 'alice'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).doesNotContain("s3cret").hasSizeGreaterThan(40);
                assertThat(rs.getString(2)).isNotBlank();
                assertThat(rs.getInt(3)).isEqualTo(210_000);
            }
            Cli.Result dup = Cli.run("user", "add", "--consolidated", db.url(), "--name", "alice", "--password", "other");
            assertThat(dup.exitCode()).isEqualTo(2);
            assertThat(dup.err()).containsPattern("(?m)^error: USER_EXISTS").contains("alice");
        }
    }

    @Test
    void aServerRefusesAnUnsupportedColumnTypeNamingTableAndColumn() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE gadget (id INTEGER PRIMARY KEY, tags JSONB[])");
            }
            Cli.Result res = Cli.run("server", "--consolidated", db.url(), "--port", "0", "--plain-http");
            assertThat(res.exitCode()).isEqualTo(6);
            assertThat(res.err()).contains("SCHEMA_UNSUPPORTED_TYPE").contains("gadget").contains("tags");
        }
    }

    /** Issue 13: one look shows everything: each refused column of each table, the tables left out, how every column maps. */
    @Test
    void schemaCheckPrintsThePlanWithEveryRefusalAtOnceAndWritesNothing() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE customer (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL, total NUMERIC(10,2))");
                s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT REFERENCES customer (id),"
                        + " doubled BIGINT GENERATED ALWAYS AS (id * 2) STORED)");
                s.execute("CREATE TABLE film (id INTEGER PRIMARY KEY, title TEXT, tags JSONB[], scores INTERVAL[])");
                s.execute("CREATE TABLE audit_note (line TEXT)");
            }
            Cli.Result res = Cli.run("schema", "check", "--consolidated", db.url());
            assertThat(res.exitCode()).as(res.all()).isEqualTo(6);
            assertThat(res.out()).contains("2 tables synchronize, 1 refused, 1 without a primary key left out")
                    .containsPattern("(?m)^  customer  key \\(id\\)$")
                    .containsPattern("(?m)^  orders  key \\(id\\)  references customer$")
                    .containsPattern("(?m)^    name +varchar +TEXT\\(40\\) NOT NULL +TEXT ")
                    .containsPattern("(?m)^    doubled .*computed by the server: downloaded, never uploaded$")
                    .containsPattern("(?m)^  film\\.tags  SCHEMA_UNSUPPORTED_TYPE: table film column tags has type jsonb\\[\\]")
                    .containsPattern("(?m)^  film\\.scores  SCHEMA_UNSUPPORTED_TYPE: table film column scores has type interval\\[\\]")
                    .contains("what to do: ")
                    .contains("Left out, no primary key (Ferry identifies rows by it): audit_note");
            assertThat(ferryTables(db)).as("a check writes nothing").isZero();
        }
        Cli.Result unreachable = Cli.run("schema", "check", "--consolidated", "jdbc:postgresql://127.0.0.1:1/nowhere");
        assertThat(unreachable.exitCode()).as(unreachable.all()).isEqualTo(9);
        assertThat(unreachable.err()).containsPattern("(?m)^error: DATABASE_UNAVAILABLE: cannot connect to the consolidated database");
    }

    /** Issue 13: tables the configuration names must all synchronize; the refusal lists every problem and creates nothing. */
    @Test
    void aStartWhoseNamedTablesAreRefusedListsEveryProblemAndLeavesTheDatabaseAsItWas() throws Exception {
        try (TestDatabase db = TestDatabases.postgres()) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE customer (id BIGINT PRIMARY KEY, name TEXT)");
                s.execute("CREATE TABLE film (id INTEGER PRIMARY KEY, tags JSONB[], scores INTERVAL[])");
            }
            java.nio.file.Path config = java.nio.file.Files.createTempFile("ferry-refused", ".yaml");
            try {
                java.nio.file.Files.writeString(config, "sync:\n  tables: customer, film, payment\n");
                Cli.Result res = Cli.run("server", "--config", config.toString(), "--consolidated", db.url(), "--port", "0", "--plain-http");
                assertThat(res.exitCode()).as(res.all()).isEqualTo(6);
                assertThat(res.err()).contains("SCHEMA_REFUSED").contains("3 problems").contains("film column tags has type jsonb[]")
                        .contains("film column scores has type interval[]").contains("TABLE_NOT_FOUND: table payment does not exist");
            } finally {
                java.nio.file.Files.deleteIfExists(config);
            }
            assertThat(ferryTables(db)).as("no ferry_* table was created").isZero();
        }
    }

    /** Issue 13: when every table synchronizes, one that cannot is left out (and warned about); the others sync. */
    @Test
    void aTableWithAColumnFerryCannotCarryDoesNotStopTheOthers() throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.postgres());
        cons.createSchema();
        cons.jdbc("CREATE TABLE gadget (id INTEGER PRIMARY KEY, tags JSONB[])");
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 1.50)");
        try (RunningFerry ferry = RunningFerry.start(cons, null, java.util.Map.of())) {
            RemoteFixture r = ferry.remote("sqlite", "shop-a");
            RunningFerry.sync(r);
            assertThat(r.query("SELECT \"name\" FROM \"customer\"")).containsExactly(java.util.List.of("Ada"));
            assertThat(r.query("SELECT name FROM sqlite_master WHERE name = 'gadget'")).isEmpty();
        }
    }

    /**
     * Issue 13: {@code sync.tables.<t>.excludeColumns} keeps a table with a column Ferry cannot carry:
     * the remote's table has the other columns, its inserts leave the column to its default and its
     * updates never touch it, and the plan says what was left out.
     */
    @Test
    void aColumnTheConfigurationLeavesOutNeitherTravelsNorStopsItsTable() throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.postgres());
        cons.jdbc("CREATE TABLE gadget (id INTEGER PRIMARY KEY, name TEXT NOT NULL, tags XML[] DEFAULT '{<new/>}', note TEXT)");
        cons.jdbc("INSERT INTO gadget (id, name, tags) VALUES (1, 'lamp', '{<a/>,<b/>}')");
        java.util.Map<String, String> settings = java.util.Map.of("sync.tables.gadget.excludeColumns", "tags, note");
        try (RunningFerry ferry = RunningFerry.start(cons, null, settings)) {
            RemoteFixture r = ferry.remote("sqlite", "shop-a");
            RunningFerry.sync(r);
            assertThat(r.query("SELECT name FROM pragma_table_info('gadget') ORDER BY cid")).containsExactly(java.util.List.of("id"), java.util.List.of("name"));
            assertThat(r.query("SELECT \"id\", \"name\" FROM \"gadget\"")).containsExactly(java.util.List.of("1", "lamp"));

            r.app("UPDATE gadget SET name = 'desk lamp' WHERE id = 1");
            r.app("INSERT INTO gadget (id, name) VALUES (2, 'chair')");
            RunningFerry.sync(r);
            assertThat(cons.query("SELECT id, name, tags::text FROM gadget ORDER BY id"))
                    .containsExactly(java.util.List.of("1", "desk lamp", "{<a/>,<b/>}"), java.util.List.of("2", "chair", "{<new/>}"));
            planNamesWhatIsLeftOut(cons);
        }
    }

    private static void planNamesWhatIsLeftOut(ConsolidatedFixture cons) throws Exception {
        Cli.Result plan = Cli.run("schema", "check", "--consolidated", cons.db.url());
        assertThat(plan.out()).as(plan.all()).contains("SCHEMA_UNSUPPORTED_TYPE: table gadget column tags");
        java.nio.file.Path config = java.nio.file.Files.createTempFile("ferry-columns", ".yaml");
        try {
            java.nio.file.Files.writeString(config, "sync:\n  tables:\n    gadget:\n      excludeColumns: [tags]\n");
            Cli.Result chosen = Cli.run("schema", "check", "--config", config.toString(), "--consolidated", cons.db.url());
            assertThat(chosen.exitCode()).as(chosen.all()).isZero();
            assertThat(chosen.out()).contains("1 table synchronizes, 0 refused").contains("left out by sync.tables.gadget: tags");
        } finally {
            java.nio.file.Files.deleteIfExists(config);
        }
    }

    private static int ferryTables(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE 'ferry%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aForeignKeyCycleOfNotNullKeysIsRefusedAtProvisioning() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                // Both keys NOT NULL: no order of statements can apply it (a cycle with a nullable key synchronizes, issue 13).
            s.execute("CREATE TABLE a (id INT PRIMARY KEY, b_id INT NOT NULL)");
                s.execute("CREATE TABLE b (id INT PRIMARY KEY, a_id INT NOT NULL, FOREIGN KEY (a_id) REFERENCES a(id))");
                s.execute("ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b(id)");
            }
            Cli.Result res = Cli.run("server", "--consolidated", db.url(), "--port", "0", "--plain-http");
            assertThat(res.exitCode()).isEqualTo(6);
            assertThat(res.err()).contains("SCHEMA_FK_CYCLE").contains("a -> b -> a");
        }
    }

    @Test
    void anUnsupportedConsolidatedUrlIsAClearConfigError() {
        Cli.Result res = Cli.run("server", "--consolidated", "jdbc:oracle:thin:@x:1521/y", "--port", "0", "--plain-http");
        assertThat(res.exitCode()).isEqualTo(2);
        assertThat(res.err()).containsPattern("(?m)^error: CONFIG_INVALID").contains("jdbc:oracle");
    }
}
