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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;

import static dev.ferry.dialect.RemoteSchemaFixture.CUSTOMER;
import static dev.ferry.dialect.RemoteSchemaFixture.KEYED;
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
                s.executeUpdate("INSERT INTO \"customer\" (\"id\", \"name\") VALUES (2, 'from the app')");
                s.executeUpdate("UPDATE \"customer\" SET \"name\" = 'from the app, again' WHERE \"id\" = 2");
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
                    s.executeUpdate("UPDATE \"customer\" SET \"name\" = 'waits' WHERE \"id\" = 1");
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
}
