package dev.ferry.dialect.sqlite;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.RemoteSchemaFixture;
import dev.ferry.dialect.RemoteTrackingContract;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.dialect.remote.JsonText;
import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ferry.dialect.RemoteSchemaFixture.CUSTOMER;
import static dev.ferry.dialect.RemoteSchemaFixture.EVERY;
import static dev.ferry.dialect.RemoteSchemaFixture.ORDERS;
import static dev.ferry.dialect.RemoteSchemaFixture.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

/** The remote contract on SQLite, plus what only SQLite has (the sqlite3 shell, STRICT tables, WAL). */
class SqliteTrackingIT extends RemoteTrackingContract {
    /** Writes an application could make by hand, in the order they are applied. */
    private static final List<String> APP_WRITES = List.of(
            "INSERT INTO customer VALUES (10, 'Cli ''quoted'' é😀', '7.25')",
            // A REAL into the TEXT-stored DECIMAL: STRICT stores its text, '19.99'.
            "UPDATE customer SET name = 'Ann 2', balance = 19.99 WHERE id = 1",
            "DELETE FROM customer WHERE id = 2",
            "UPDATE customer SET id = 30 WHERE id = 3",
            "INSERT INTO every_type (id, c_ts, c_tstz, c_real, c_double, c_boolean, c_binary)"
                    + " VALUES (5, '2024-05-01 10:00:00', '2024-05-01 10:00:00', 1.1, 0.30000000000000004, 1, x'00ff')",
            "UPDATE every_type SET c_text = 'x' WHERE id = 5",
            "UPDATE every_type SET c_text = 'changed', c_double = 2.5 WHERE id = 6",
            "DELETE FROM every_type WHERE id = 7");

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabases.sqlite();
    }

    @Override
    protected RemoteDialect newDialect() {
        return new SqliteDialect();
    }

    @Override
    protected String imageBoolean(boolean b) {
        return b ? "1" : "0";
    }

    @Test
    void writesByTheSqlite3ShellAreTrackedExactlyLikeJdbcWrites() throws Exception {
        seedSyncedRows();
        try (TestDatabase viaJdbc = TestDatabases.sqlite(); Connection other = viaJdbc.connect()) {
            dialect.configure(other);
            for (var t : SCHEMA.tables()) {
                dialect.createTable(other, t);
            }
            dialect.installTracking(other, SCHEMA);
            Connection mine = conn;
            conn = other;
            try {
                seedSyncedRows();
                for (String sql : APP_WRITES) {
                    execute(sql);
                }
                List<Pending> expected = allPending();
                List<RowState> expectedStates = rowStates();
                conn = mine;
                for (String sql : APP_WRITES) {
                    sqlite3(TestDatabases.sqliteFile(db), sql);
                }
                assertThat(allPending()).containsExactlyElementsOf(expected);
                assertThat(rowStates()).containsExactlyInAnyOrderElementsOf(expectedStates);
            } finally {
                conn = mine;
            }
        }

        assertThat(pending(CUSTOMER, 10L).state()).isEqualTo("inserted");
        assertThat(pending(CUSTOMER, 1L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 1L).oldImage()).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");
        assertThat(pending(CUSTOMER, 2L).state()).isEqualTo("deleted");
        assertThat(pending(CUSTOMER, 2L).oldImage()).isEqualTo("{\"id\":2,\"name\":\"Bob\",\"balance\":null}");
        assertThat(pending(CUSTOMER, 3L).state()).isEqualTo("deleted");
        assertThat(pending(CUSTOMER, 30L).state()).isEqualTo("inserted");
        assertThat(pending(EVERY, 5L).state()).isEqualTo("inserted");
        assertThat(pending(EVERY, 6L).oldImage()).contains("\"c_double\":0.30000000000000004,").contains("\"c_real\":1.1000000238418579,");
        assertThat(pending(EVERY, 7L).state()).isEqualTo("deleted");
        assertThat(allPending()).hasSize(8);

        Object[] customer = readRow(CUSTOMER, 1L);
        assertThat(customer[2]).isEqualTo(new BigDecimal("19.99"));
        Object[] every = readRow(EVERY, 5L);
        assertThat(every[11]).isEqualTo(LocalDateTime.parse("2024-05-01T10:00:00"));
        assertThat(every[12]).isEqualTo(OffsetDateTime.parse("2024-05-01T10:00:00Z"));
        assertThat(every[5]).isEqualTo(1.1f);
        assertThat(every[6]).isEqualTo(0.1 + 0.2);
        assertThat(every[8]).isEqualTo(true);
        assertThat((byte[]) every[14]).containsExactly(0, 0xff);
    }

    private void seedSyncedRows() throws Exception {
        synced(() -> {
            insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90"));
            insert(CUSTOMER, 2L, "Bob", null);
            insert(CUSTOMER, 3L, "Cy", null);
            insert(EVERY, RemoteSchemaFixture.edgeEveryRow(6));
            insert(EVERY, RemoteSchemaFixture.simpleEveryRow(7));
        });
    }

    private static void sqlite3(Path file, String sql) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sqlite3", file.toString(), sql).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("sqlite3 output: %s", out).isZero();
        assertThat(out).isEmpty();
    }

    @Test
    void configureTurnsOnForeignKeysWalFullSyncAndBusyTimeoutAndTablesAreStrict() throws Exception {
        assertThat(queryLong("PRAGMA foreign_keys")).isEqualTo(1);
        assertThat(queryLong("PRAGMA busy_timeout")).isEqualTo(10000);
        assertThat(queryLong("PRAGMA recursive_triggers")).as("tracking must not depend on it (issue 10, defect 3)").isZero();
        assertThat(queryLong("PRAGMA synchronous")).as("FULL: a commit in WAL mode survives power loss (issue 10, defect 17)").isEqualTo(2);
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
        List<String> notStrict = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND strict = 0"
                        + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
            while (rs.next()) {
                notStrict.add(rs.getString(1));
            }
        }
        assertThat(notStrict).isEmpty();
        assertThat(queryLong("SELECT COUNT(*) FROM pragma_table_list WHERE name = 'customer' AND strict = 1")).isEqualTo(1);
    }

    @Test
    void decimalsAreStoredAsExactText() throws Exception {
        insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.99"));
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT typeof(balance), balance FROM customer")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("text");
            assertThat(rs.getString(2)).isEqualTo("19.99");
        }
    }

    // ---------------------------------------------------------------- REPLACE and UPSERT from application connections (issue 10, defect 3)

    private static final String ANN = "{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}";
    private static final String BOB = "{\"id\":2,\"name\":\"Bob\",\"balance\":null}";

    /**
     * How an application writes: the real {@code sqlite3} shell, or a plain JDBC connection opened with
     * {@code DriverManager.getConnection("jdbc:sqlite:...")} and no pragma at all (so no
     * {@code recursive_triggers}, no foreign keys), one statement per connection.
     */
    enum AppWriter {
        SQLITE3_SHELL, PLAIN_JDBC
    }

    private void app(AppWriter writer, String sql) throws Exception {
        if (writer == AppWriter.SQLITE3_SHELL) {
            sqlite3(TestDatabases.sqliteFile(db), sql);
            return;
        }
        try (Connection plain = java.sql.DriverManager.getConnection(db.url()); Statement s = plain.createStatement()) {
            assertThat(queryLong(plain, "PRAGMA recursive_triggers")).isZero();
            s.execute(sql);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private void syncedAnnAndBob() throws Exception {
        synced(() -> {
            insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90"));
            insert(CUSTOMER, 2L, "Bob", null);
        });
    }

    /** What a sync does first: the triggers learn about a UNIQUE index the application added. */
    private void applicationAddsUniqueIndexOnCustomerName() throws Exception {
        execute("CREATE UNIQUE INDEX customer_name ON customer (name)");
        assertThat(dialect.refreshTracking(conn, SCHEMA.tables())).isTrue();
    }

    @ParameterizedTest
    @EnumSource(AppWriter.class)
    void insertOrReplaceOfASyncedRowByAnApplicationConnectionIsTrackedAsAnUpdateWithTheServersOldImage(AppWriter writer) throws Exception {
        syncedAnnAndBob();
        app(writer, "INSERT OR REPLACE INTO customer VALUES (1, 'Replaced', '1.00')");
        app(writer, "REPLACE INTO customer (id, name) VALUES (2, 'Bob 2')");

        assertThat(pending(CUSTOMER, 1L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 1L).oldImage()).isEqualTo(ANN);
        assertThat(pending(CUSTOMER, 2L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 2L).oldImage()).isEqualTo(BOB);
        assertThat(allPending()).hasSize(2);
        assertThat(queryLong("SELECT COUNT(*) FROM ferry_replacing")).isZero();
    }

    @ParameterizedTest
    @EnumSource(AppWriter.class)
    void insertOrReplaceOfRowsNeverSyncedStaysAnInsertAndReplacingInOneStatementLeavesOneRow(AppWriter writer) throws Exception {
        app(writer, "INSERT INTO customer VALUES (5, 'new', NULL)");
        app(writer, "INSERT OR REPLACE INTO customer VALUES (5, 'newer', NULL)");
        app(writer, "INSERT OR REPLACE INTO customer VALUES (6, 'a', NULL), (6, 'b', NULL), (7, 'c', NULL)");

        assertThat(allPending()).extracting(Pending::pk, Pending::state, Pending::oldImage).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("[5]", "inserted", null),
                org.assertj.core.groups.Tuple.tuple("[6]", "inserted", null),
                org.assertj.core.groups.Tuple.tuple("[7]", "inserted", null));
    }

    @ParameterizedTest
    @EnumSource(AppWriter.class)
    void insertOrReplaceThatRemovesARowConflictingOnASecondaryUniqueIndexTracksThatRowsDeletion(AppWriter writer) throws Exception {
        syncedAnnAndBob();
        applicationAddsUniqueIndexOnCustomerName();
        app(writer, "INSERT OR REPLACE INTO customer VALUES (3, 'Bob', '5.00')");

        assertThat(readCustomerIds()).containsExactly(1L, 3L);
        Pending bob = pending(CUSTOMER, 2L);
        assertThat(bob.state()).as("the row SQLite deleted to make room").isEqualTo("deleted");
        assertThat(bob.oldImage()).isEqualTo(BOB);
        assertThat(pending(CUSTOMER, 3L).state()).isEqualTo("inserted");
        assertThat(pending(CUSTOMER, 3L).changeSeq()).isGreaterThan(bob.changeSeq());
        assertThat(allPending()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(AppWriter.class)
    void aUniqueIndexTheApplicationAddsIsCoveredBeforeTheNextSyncRecreatesTheTriggers(AppWriter writer) throws Exception {
        syncedAnnAndBob();
        synced(() -> insert(CUSTOMER, 3L, "Cy", null));
        app(writer, "CREATE UNIQUE INDEX customer_name ON customer (name COLLATE NOCASE)");
        app(writer, "INSERT OR REPLACE INTO customer VALUES (4, 'BOB', NULL)");
        app(writer, "UPDATE OR REPLACE customer SET name = 'cy' WHERE id = 1");

        assertThat(readCustomerIds()).containsExactly(1L, 4L);
        assertThat(pending(CUSTOMER, 2L).state()).isEqualTo("deleted");
        assertThat(pending(CUSTOMER, 2L).oldImage()).isEqualTo(BOB);
        assertThat(pending(CUSTOMER, 3L).state()).isEqualTo("deleted");
        assertThat(pending(CUSTOMER, 1L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 4L).state()).isEqualTo("inserted");
        assertThat(allPending()).hasSize(4);
    }

    @ParameterizedTest
    @EnumSource(AppWriter.class)
    void insertOrReplaceConflictingOnTheKeyAndASecondaryUniqueIndexAtOnceTracksBothRows(AppWriter writer) throws Exception {
        syncedAnnAndBob();
        applicationAddsUniqueIndexOnCustomerName();
        app(writer, "INSERT OR REPLACE INTO customer VALUES (1, 'Bob', NULL)");

        assertThat(readCustomerIds()).containsExactly(1L);
        assertThat(pending(CUSTOMER, 1L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 1L).oldImage()).isEqualTo(ANN);
        assertThat(pending(CUSTOMER, 2L).state()).isEqualTo("deleted");
        assertThat(pending(CUSTOMER, 2L).oldImage()).isEqualTo(BOB);
    }

    @ParameterizedTest
    @EnumSource(AppWriter.class)
    void updateOrReplaceThatRemovesAConflictingRowTracksItsDeletion(AppWriter writer) throws Exception {
        syncedAnnAndBob();
        synced(() -> insert(CUSTOMER, 3L, "Cy", null));
        applicationAddsUniqueIndexOnCustomerName();
        app(writer, "UPDATE OR REPLACE customer SET name = 'Bob' WHERE id = 1");
        // The key onto another synced row's key: that row is replaced, the moved one deleted at its old key.
        app(writer, "UPDATE OR REPLACE customer SET id = 1 WHERE id = 3");

        assertThat(readCustomerIds()).containsExactly(1L);
        assertThat(pending(CUSTOMER, 2L).state()).isEqualTo("deleted");
        assertThat(pending(CUSTOMER, 2L).oldImage()).isEqualTo(BOB);
        assertThat(pending(CUSTOMER, 3L).state()).isEqualTo("deleted");
        assertThat(pending(CUSTOMER, 3L).oldImage()).isEqualTo("{\"id\":3,\"name\":\"Cy\",\"balance\":null}");
        assertThat(pending(CUSTOMER, 1L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 1L).oldImage()).isEqualTo(ANN);
        assertThat(allPending()).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(AppWriter.class)
    void upsertDoUpdateIsAnUpdateWhileDoNothingAndInsertOrIgnoreChangeNothing(AppWriter writer) throws Exception {
        syncedAnnAndBob();
        applicationAddsUniqueIndexOnCustomerName();
        app(writer, "INSERT INTO customer VALUES (1, 'Ann', '1.00') ON CONFLICT (id) DO UPDATE SET balance = excluded.balance");
        app(writer, "INSERT INTO customer VALUES (2, 'Bob', '9.00') ON CONFLICT DO NOTHING");
        app(writer, "INSERT OR IGNORE INTO customer VALUES (2, 'Bob', '9.00')");
        app(writer, "INSERT OR IGNORE INTO customer VALUES (4, 'Ann', '9.00')");
        // A later write to the table must not mistake what the ignored ones copied for rows they removed.
        app(writer, "INSERT INTO customer VALUES (5, 'Eve', NULL)");
        app(writer, "UPDATE customer SET balance = '2.00' WHERE id = 1");

        assertThat(readCustomerIds()).containsExactly(1L, 2L, 5L);
        assertThat(pending(CUSTOMER, 1L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 1L).oldImage()).isEqualTo(ANN);
        assertThat(pending(CUSTOMER, 2L)).as("Bob was never changed").isNull();
        assertThat(pending(CUSTOMER, 5L).state()).isEqualTo("inserted");
        assertThat(allPending()).hasSize(2);
    }

    /**
     * The capture triggers fire only when they have something to do (issue 12); what an ignored write
     * left in {@code ferry_replacing} is such a thing: a later write that conflicts with nothing must
     * still forget it, or a row a download deleted meanwhile would look deleted by the application.
     */
    @ParameterizedTest
    @EnumSource(AppWriter.class)
    void whatAnIgnoredWriteCopiedIsForgottenEvenByAWriteThatConflictsWithNothing(AppWriter writer) throws Exception {
        syncedAnnAndBob();
        app(writer, "INSERT OR IGNORE INTO customer VALUES (2, 'Bob', '9.00')");
        synced(() -> delete(CUSTOMER, 2L));
        app(writer, "INSERT INTO customer VALUES (5, 'Eve', NULL)");

        assertThat(readCustomerIds()).containsExactly(1L, 5L);
        assertThat(pending(CUSTOMER, 2L)).as("the server deleted Bob; nothing of the application's").isNull();
        assertThat(pending(CUSTOMER, 5L).state()).isEqualTo("inserted");
        assertThat(allPending()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(AppWriter.class)
    void insertOrReplaceOfAnInFlightRowCapturesWhatWasSent(AppWriter writer) throws Exception {
        syncedAnnAndBob();
        update(CUSTOMER, new Object[]{1L}, "name", "Ann sent");
        markSent();
        app(writer, "INSERT OR REPLACE INTO customer VALUES (1, 'Ann after', NULL)");

        Pending p = pending(CUSTOMER, 1L);
        assertThat(p.state()).isEqualTo("updated");
        assertThat(p.oldImage()).isEqualTo(ANN);
        assertThat(p.sentImage()).isEqualTo("{\"id\":1,\"name\":\"Ann sent\",\"balance\":\"19.90\"}");
        assertThat(p.changeSeq()).isGreaterThan(p.sentSeq());
    }

    @Test
    void aConnectionWithRecursiveTriggersOnIsTrackedExactlyLikeOneWithout() throws Exception {
        List<String> writes = List.of("INSERT OR REPLACE INTO customer VALUES (1, 'Bob', NULL)",
                "INSERT OR REPLACE INTO customer VALUES (7, 'new', NULL)", "INSERT OR REPLACE INTO customer VALUES (7, 'newer', NULL)",
                "UPDATE OR REPLACE customer SET id = 1 WHERE id = 3", "INSERT INTO customer VALUES (3, 'x', NULL) ON CONFLICT DO NOTHING");
        List<List<Object>> plain = pendingAfter(writes, false);
        List<List<Object>> recursive = pendingAfter(writes, true);
        assertThat(recursive).isEqualTo(plain);
        assertThat(plain).hasSize(4);
    }

    private List<List<Object>> pendingAfter(List<String> writes, boolean recursiveTriggers) throws Exception {
        execute("DELETE FROM customer");
        execute("DELETE FROM ferry_pending");
        execute("DROP INDEX IF EXISTS customer_name");
        dialect.refreshTracking(conn, SCHEMA.tables());
        syncedAnnAndBob();
        synced(() -> insert(CUSTOMER, 3L, "Cy", null));
        applicationAddsUniqueIndexOnCustomerName();
        try (Connection app = java.sql.DriverManager.getConnection(db.url()); Statement s = app.createStatement()) {
            s.execute("PRAGMA recursive_triggers = " + (recursiveTriggers ? "ON" : "OFF"));
            for (String sql : writes) {
                s.execute(sql);
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Pending p : allPending()) {
            rows.add(java.util.Arrays.asList(p.pk(), p.state(), p.oldImage()));
        }
        rows.sort(java.util.Comparator.comparing(r -> (String) r.get(0)));
        return rows;
    }

    @Test
    void refreshTrackingRecreatesTheTriggersOnlyWhenTheUniqueIndexesChanged() throws Exception {
        assertThat(dialect.refreshTracking(conn, SCHEMA.tables())).isFalse();
        execute("CREATE UNIQUE INDEX customer_name ON customer (name COLLATE NOCASE)");
        assertThat(dialect.refreshTracking(conn, SCHEMA.tables())).isTrue();
        assertThat(dialect.refreshTracking(conn, SCHEMA.tables())).isFalse();

        synced(() -> insert(CUSTOMER, 2L, "Bob", null));
        app(AppWriter.PLAIN_JDBC, "INSERT OR REPLACE INTO customer VALUES (3, 'BOB', NULL)");
        assertThat(pending(CUSTOMER, 2L).state()).as("the index compares without case, so 'BOB' replaced 'Bob'").isEqualTo("deleted");

        execute("DROP INDEX customer_name");
        assertThat(dialect.refreshTracking(conn, SCHEMA.tables())).isTrue();
    }

    @Test
    void aRemoteWithTheTriggersOfAnOlderFerryGetsTheCurrentOnesAtTheNextSync() throws Exception {
        // What a remote made before issue 10 has: no capture triggers, no scratch table.
        List<String> captures = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_before' ESCAPE '\\'")) {
            while (rs.next()) {
                captures.add(rs.getString(1));
            }
        }
        assertThat(captures).hasSize(2 * SCHEMA.tables().size());
        for (String t : captures) {
            execute("DROP TRIGGER " + t);
        }
        execute("DROP TABLE ferry_replacing");
        assertThat(dialect.refreshTracking(conn, SCHEMA.tables())).isTrue();

        syncedAnnAndBob();
        app(AppWriter.PLAIN_JDBC, "INSERT OR REPLACE INTO customer VALUES (1, 'Replaced', NULL)");
        assertThat(pending(CUSTOMER, 1L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 1L).oldImage()).isEqualTo(ANN);
    }

    private List<Long> readCustomerIds() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM customer ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    @Test
    void wrongStoredTypeIsAnInvalidValueAndBusyIsRetried() throws Exception {
        insert(CUSTOMER, 1L, "Ann", null);
        assertThat(classified(() -> execute("INSERT INTO orders (id, customer_id) VALUES (1, 'abc')")))
                .isEqualTo(SqlFailure.row(ErrorCode.ROW_INVALID_VALUE));
        assertThat(classified(() -> execute("INSERT INTO customer (id) VALUES ('abc')")))
                .isEqualTo(SqlFailure.row(ErrorCode.ROW_INVALID_VALUE));

        try (Connection other = open()) {
            try (Statement s = other.createStatement()) {
                s.execute("PRAGMA busy_timeout = 0");
            }
            conn.setAutoCommit(false);
            insert(ORDERS, 1L, 1L, "holds the write lock");
            try {
                SqlFailure f;
                try (Statement s = other.createStatement()) {
                    s.execute("INSERT INTO customer (id) VALUES (2)");
                    f = null;
                } catch (SQLException e) {
                    f = dialect.classify(e);
                }
                assertThat(f).isEqualTo(SqlFailure.retry());
            } finally {
                conn.rollback();
                conn.setAutoCommit(true);
            }
        }
    }

    @Test
    void javaJsonTextEscapesExactlyLikeSqlite() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char ch = 1; ch < 0x80; ch++) {
            all.append(ch);
        }
        all.append("é😀\u2028\u00a0\uffff");
        try (PreparedStatement ps = conn.prepareStatement("SELECT json_quote(?), json_array(?)")) {
            for (String text : List.of(all.toString(), "", "plain", "\"\\\"")) {
                ps.setString(1, text);
                ps.setString(2, text);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(JsonText.string(text)).isEqualTo(rs.getString(1));
                    assertThat("[" + JsonText.string(text) + "]").isEqualTo(rs.getString(2));
                }
            }
        }
    }

    @Test
    void theSqlite3ShellTracksWideTablesToo() throws Exception {
        var wide = installWideTable(200);
        Object[] row = new Object[201];
        row[0] = 1L;
        for (int i = 1; i < row.length; i++) {
            row[i] = "v" + (i - 1);
        }
        synced(() -> insert(wide, row));
        sqlite3(TestDatabases.sqliteFile(db), "UPDATE wide SET c0 = 'by the shell' WHERE id = 1");

        var image = JSON.readTree(pending(wide, 1L).oldImage());
        assertThat(image.size()).isEqualTo(201);
        assertThat(image.get("c0").textValue()).isEqualTo("v0");
        assertThat(image.get("c199").textValue()).isEqualTo("v199");
    }
}
