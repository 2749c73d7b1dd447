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
    void configureTurnsOnForeignKeysWalAndBusyTimeoutAndTablesAreStrict() throws Exception {
        assertThat(queryLong("PRAGMA foreign_keys")).isEqualTo(1);
        assertThat(queryLong("PRAGMA busy_timeout")).isEqualTo(10000);
        assertThat(queryLong("PRAGMA recursive_triggers")).isEqualTo(1);
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

    @Test
    void insertOrReplaceOfSyncedRowIsTrackedAsUpdate() throws Exception {
        synced(() -> insert(CUSTOMER, 1L, "Ann", new BigDecimal("19.90")));
        execute("INSERT OR REPLACE INTO customer VALUES (1, 'Replaced', '1.00')");

        Pending p = pending(CUSTOMER, 1L);
        assertThat(p.state()).isEqualTo("updated");
        assertThat(p.oldImage()).isEqualTo("{\"id\":1,\"name\":\"Ann\",\"balance\":\"19.90\"}");
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
