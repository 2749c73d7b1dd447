package dev.ferry.dialect.h2;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.RemoteTrackingContract;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;

import static dev.ferry.dialect.RemoteSchemaFixture.CUSTOMER;
import static dev.ferry.dialect.RemoteSchemaFixture.KEYED;
import static dev.ferry.dialect.RemoteSchemaFixture.ODD;
import static dev.ferry.dialect.RemoteSchemaFixture.ORDERS;
import static dev.ferry.dialect.RemoteSchemaFixture.U1;
import static org.assertj.core.api.Assertions.assertThat;

/** The remote contract on H2, plus what only H2 has (concurrent sessions, Java triggers reloaded on open). */
class H2RemoteTrackingIT extends RemoteTrackingContract {
    @Override
    protected TestDatabase newDatabase() {
        return TestDatabases.h2();
    }

    @Override
    protected RemoteDialect newDialect() {
        return new H2RemoteDialect();
    }

    @Override
    protected String imageBoolean(boolean b) {
        return Boolean.toString(b);
    }

    @Test
    void uncommittedApplyingOfOneSessionDoesNotSilenceAnother() throws Exception {
        try (Connection other = open()) {
            conn.setAutoCommit(false);
            execute("UPDATE ferry_state SET applying = 1 WHERE id = 1");
            insert(CUSTOMER, 1L, "from the download", null);

            try (Statement s = other.createStatement()) {
                s.executeUpdate("INSERT INTO customer (id, name) VALUES (2, 'from the app')");
                s.executeUpdate("UPDATE customer SET name = 'from the app, again' WHERE id = 2");
            }

            execute("UPDATE ferry_state SET applying = 0 WHERE id = 1");
            conn.commit();
            conn.setAutoCommit(true);
        }
        assertThat(pending(CUSTOMER, 1L)).isNull();
        assertThat(pending(CUSTOMER, 2L).state()).isEqualTo("inserted");
        assertThat(allPending()).hasSize(1);
    }

    @Test
    void triggersKeepTrackingAfterTheDatabaseIsReopened() throws Exception {
        synced(() -> insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90")));
        conn.close();
        // The database closes with its last connection; the next one reopens it and reloads the triggers.
        conn = open();
        update(CUSTOMER, new Object[]{1L}, "name", "Bob");
        insert(CUSTOMER, 2L, "Cy", null);

        assertThat(pending(CUSTOMER, 1L).oldImage()).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");
        assertThat(pending(CUSTOMER, 2L).state()).isEqualTo("inserted");
        assertThat(pending(CUSTOMER, 2L).changeSeq()).isGreaterThan(pending(CUSTOMER, 1L).changeSeq());
    }

    /**
     * Issue 10, defect 3, on H2: its upsert statements (MERGE, and in MySQL mode REPLACE, ON DUPLICATE KEY
     * UPDATE, INSERT IGNORE) run the row triggers with the real old row and never delete a row to make
     * room (a REPLACE that conflicts on another unique index fails instead), so from a plain connection
     * with default settings they are tracked like the UPDATE or INSERT they are.
     */
    @Test
    void mergeReplaceAndOnDuplicateKeyFromAPlainConnectionAreTrackedWithTheServersOldImage() throws Exception {
        synced(() -> {
            insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90"));
            insert(CUSTOMER, 2L, "Bob", null);
            insert(CUSTOMER, 3L, "Cy", null);
        });
        try (Connection plain = java.sql.DriverManager.getConnection(db.url()); Statement s = plain.createStatement()) {
            s.execute("CREATE UNIQUE INDEX customer_name ON customer (name)");
            s.execute("MERGE INTO customer KEY (id) VALUES (1, 'Ann M', 19.90)");
            s.execute("MERGE INTO customer AS t USING (VALUES (2, 'Bob M'), (9, 'New')) AS v (id, name) ON t.id = v.id"
                    + " WHEN MATCHED THEN UPDATE SET name = v.name WHEN NOT MATCHED THEN INSERT (id, name) VALUES (v.id, v.name)");
            s.execute("SET MODE MySQL");
            try {
                s.execute("REPLACE INTO customer (id, name) VALUES (3, 'Cy R')");
                assertThat(classified(() -> s.execute("REPLACE INTO customer (id, name) VALUES (8, 'Ann M')")))
                        .as("H2 refuses a REPLACE that would remove another row").isEqualTo(SqlFailure.row(dev.ferry.core.error.ErrorCode.ROW_DUPLICATE_KEY));
                // Conflicts on the name: H2 updates the row that holds it (2), like MySQL.
                s.execute("INSERT INTO customer (id, name) VALUES (7, 'Bob M') ON DUPLICATE KEY UPDATE balance = 5");
                s.execute("INSERT IGNORE INTO customer (id, name) VALUES (1, 'ignored')");
            } finally {
                s.execute("SET MODE REGULAR");
            }
        }

        assertThat(pending(CUSTOMER, 1L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 1L).oldImage()).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");
        assertThat(pending(CUSTOMER, 2L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 2L).oldImage()).isEqualTo("{\"id\":2,\"name\":\"Bob\",\"balance\":null}");
        assertThat(pending(CUSTOMER, 3L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 3L).oldImage()).isEqualTo("{\"id\":3,\"name\":\"Cy\",\"balance\":null}");
        assertThat(pending(CUSTOMER, 9L).state()).isEqualTo("inserted");
        assertThat(allPending()).hasSize(4);
        assertThat(readRow(CUSTOMER, 2L)[2]).isEqualTo(new BigDecimal("5.00"));
    }

    /**
     * What a download on H2 relies on: after its write waited for an application's transaction, its
     * look at {@code ferry_pending} (the same prepared query, the same key as its look before the
     * write) sees the entry that transaction committed. Without {@link H2RemoteDialect#readAgainAtEveryExecution}
     * H2 handed back the earlier result in 152 of the 200 tries.
     */
    @Test
    void aLookRepeatedAfterAWriteThatWaitedForTheApplicationSeesWhatTheApplicationCommitted() throws Exception {
        synced(() -> insert(CUSTOMER, 1L, "Ann", null));
        String lookup = dialect.readAgainAtEveryExecution("SELECT state FROM ferry_pending WHERE tbl = ? AND pk = " + dialect.keyTextSql(CUSTOMER));
        java.util.concurrent.ExecutorService download = java.util.concurrent.Executors.newSingleThreadExecutor();
        int tries = 200;
        int missed = 0;
        try (Connection app = open(); Connection probe = open();
             PreparedStatement look = conn.prepareStatement(lookup);
             PreparedStatement write = conn.prepareStatement("UPDATE customer SET name = 'server' WHERE id = 1")) {
            app.setAutoCommit(false);
            conn.setAutoCommit(false);
            for (int i = 0; i < tries; i++) {
                try (Statement s = app.createStatement()) {
                    s.executeUpdate("UPDATE customer SET name = 'local " + i + "' WHERE id = 1");
                }
                java.util.concurrent.Future<Boolean> seen = download.submit(() -> {
                    boolean before = pendingFor(look);
                    execute("UPDATE ferry_state SET applying = 1 WHERE id = 1");
                    write.executeUpdate();
                    boolean after = pendingFor(look);
                    conn.rollback();
                    return !before && after;
                });
                while (blockedSessions(probe) == 0) {
                    Thread.onSpinWait();
                }
                app.commit();
                if (!seen.get()) {
                    missed++;
                }
                try (Statement s = app.createStatement()) {
                    s.executeUpdate("DELETE FROM ferry_pending");
                }
                app.commit();
            }
        } finally {
            download.shutdownNow();
            conn.setAutoCommit(true);
        }
        assertThat(missed).as("looks that missed the committed entry, of " + tries).isZero();
    }

    private boolean pendingFor(PreparedStatement look) throws SQLException {
        look.setString(1, CUSTOMER.name());
        dialect.bindKey(look, 2, CUSTOMER, new Object[]{1L});
        try (java.sql.ResultSet rs = look.executeQuery()) {
            return rs.next();
        }
    }

    private static int blockedSessions(Connection probe) throws SQLException {
        try (Statement s = probe.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void lockTimeoutIsRetried() throws Exception {
        insert(CUSTOMER, 1L, "Ann", null);
        try (Connection other = open()) {
            try (Statement s = other.createStatement()) {
                s.execute("SET LOCK_TIMEOUT 100");
            }
            conn.setAutoCommit(false);
            update(CUSTOMER, new Object[]{1L}, "name", "locked");
            try {
                SqlFailure f;
                try (Statement s = other.createStatement()) {
                    s.executeUpdate("UPDATE customer SET name = 'waits' WHERE id = 1");
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
    void decimalKeysMatchByNumberNotByScale() throws Exception {
        LocalDate day = LocalDate.of(2024, 5, 1);
        insert(KEYED, U1, new BigDecimal("19.90"), day, "a");

        assertThat(pending(KEYED, U1, new BigDecimal("19.9"), day)).isNotNull();
        assertThat(pending(KEYED, U1, new BigDecimal("19.900"), day).pk()).contains("\"19.9\"");
    }

    @Test
    void unconstrainedDecimalKeepsItsValue() throws Exception {
        TableDef free = new TableDef("free_decimal", List.of(ColumnDef.of("id", FerryType.INTEGER, false),
                ColumnDef.of("amount", FerryType.DECIMAL, true)), List.of("id"), List.of());
        dialect.createTable(conn, free);
        dialect.installTracking(conn, SyncSchema.of(List.of(free)));
        insert(free, 1L, new BigDecimal("12345678901234567890.123456789"));
        insert(free, 2L, new BigDecimal("19.99"));

        assertThat(readRow(free, 1L)[1]).isEqualTo(new BigDecimal("12345678901234567890.123456789"));
        assertThat(readRow(free, 2L)[1]).isEqualTo(new BigDecimal("19.99"));
    }

    /**
     * Issue 13: a new H2 remote creates the server's plain lower-case names as H2 folds an unquoted
     * identifier (upper case), so the application's unquoted SQL on a connection with default settings
     * reaches them; a keyword ({@code day}) and names that need quotes on the server keep the server's
     * spelling. Ferry's own records keep the server's names.
     */
    @Test
    void plainLowerCaseNamesAreCreatedAsTheApplicationsUnquotedSqlNamesThemAndTheOthersExactly() throws Exception {
        assertThat(dialect.quote("customer")).isEqualTo("\"CUSTOMER\"");
        assertThat(dialect.quote("first_name2")).isEqualTo("\"FIRST_NAME2\"");
        assertThat(dialect.quote("day")).as("an H2 keyword").isEqualTo("\"day\"");
        assertThat(dialect.quote("Order Lines")).isEqualTo("\"Order Lines\"");
        assertThat(dialect.quote("firstName")).isEqualTo("\"firstName\"");
        assertThat(dialect.quote("CUSTOMER")).isEqualTo("\"CUSTOMER\"");
        assertThat(dialect.quote("2nd")).isEqualTo("\"2nd\"");
        assertThat(columnsOf("CUSTOMER")).containsExactly("ID", "NAME", "BALANCE");
        assertThat(columnsOf("keyed")).as("no table is created under the server's lower-case name").isEmpty();
        assertThat(columnsOf("KEYED")).containsExactly("U", "AMOUNT", "day", "LABEL");
        assertThat(columnsOf(ODD.name())).containsExactly("key col", "it's");
        assertThat(queryString("SELECT identifier_case FROM ferry_state")).isEqualTo("upper");

        synced(() -> insert(CUSTOMER, 1L, "Ann", null));
        try (Connection app = java.sql.DriverManager.getConnection(db.url()); Statement s = app.createStatement()) {
            s.executeUpdate("UPDATE customer SET name = 'Ann B' WHERE id = 1");
            s.executeUpdate("INSERT INTO customer (id, name, balance) VALUES (2, 'Bob', 1.50)");
            s.executeUpdate("INSERT INTO keyed (u, amount, \"day\", label) VALUES ('" + U1 + "', 1.00, DATE '2024-05-01', 'x')");
            try (java.sql.ResultSet rs = s.executeQuery("SELECT name FROM customer WHERE id = 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("Bob");
            }
        }
        assertThat(pending(CUSTOMER, 1L).state()).isEqualTo("updated");
        assertThat(pending(CUSTOMER, 1L).tbl()).isEqualTo("customer");
        assertThat(pending(CUSTOMER, 2L).state()).isEqualTo("inserted");
        assertThat(pending(KEYED, U1, new BigDecimal("1.00"), LocalDate.of(2024, 5, 1)).state()).isEqualTo("inserted");
        assertThat(rowStates()).anySatisfy(r -> assertThat(List.of(r.table(), r.pk(), r.state())).containsExactly("customer", "[1]", "updated"));
    }

    /** Folding {@code customer} would meet the server's {@code "CUSTOMER"}: such a remote names every table exactly. */
    @Test
    void aSchemaWhoseNamesWouldMeetWhenFoldedKeepsTheServersNames() {
        TableDef shouted = new TableDef("CUSTOMER", CUSTOMER.columns(), CUSTOMER.primaryKey(), List.of());
        assertThat(dialect.forNewRemote(SyncSchema.of(List.of(CUSTOMER, shouted))).quote("customer")).isEqualTo("\"customer\"");
        TableDef twoIds = new TableDef("pair", List.of(ColumnDef.of("id", FerryType.INTEGER, false), ColumnDef.of("ID", FerryType.INTEGER, true)),
                List.of("id"), List.of());
        assertThat(dialect.forNewRemote(SyncSchema.of(List.of(twoIds))).quote("pair")).isEqualTo("\"pair\"");
        assertThat(dialect.forNewRemote(SyncSchema.of(List.of(CUSTOMER))).quote("customer")).isEqualTo("\"CUSTOMER\"");
    }

    /**
     * A remote made before issue 13 named every table as the server does ({@code "customer"}) and has no
     * {@code ferry_state.identifier_case}: it keeps those names, its triggers find their tables, and
     * the dialect Ferry opens it with quotes them the same way.
     */
    @Test
    void aRemoteMadeBeforeTheNamingWasRecordedKeepsTheServersNamesAndIsTracked() throws Exception {
        try (TestDatabase old = newDatabase(); Connection c = old.connect()) {
            RemoteDialect exact = H2RemoteDialect.exactNames();
            for (TableDef t : List.of(CUSTOMER, ORDERS)) {
                exact.createTable(c, t);
            }
            exact.installTracking(c, SyncSchema.of(List.of(CUSTOMER, ORDERS)));
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE ferry_state DROP COLUMN identifier_case");
            }
            RemoteDialect opened = new H2RemoteDialect().forExistingRemote(c);
            assertThat(opened.quote("customer")).isEqualTo("\"customer\"");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO \"customer\" (\"id\", \"name\") VALUES (1, 'Ann')");
                s.executeUpdate("INSERT INTO " + opened.quote("orders") + " (\"id\", \"customer_id\") VALUES (10, 1)");
                try (java.sql.ResultSet rs = s.executeQuery("SELECT tbl, pk, state FROM ferry_pending ORDER BY change_seq")) {
                    List<String> rows = new java.util.ArrayList<>();
                    while (rs.next()) {
                        rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                    }
                    assertThat(rows).containsExactly("customer [1] inserted", "orders [10] inserted");
                }
            }
        }
        assertThat(new H2RemoteDialect().forExistingRemote(conn).quote("customer")).isEqualTo("\"CUSTOMER\"");
    }

    private List<String> columnsOf(String table) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, table);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private String queryString(String sql) throws SQLException {
        try (Statement s = conn.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
