package dev.ferry.dialect;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.dialect.h2.H2ConsolidatedDialect;
import dev.ferry.dialect.mariadb.MariaDbDialect;
import dev.ferry.dialect.postgres.PostgresDialect;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 11: a failure one row's data causes while the upload writes it must be a row
 * rejection, never a sync failure, or the remote uploads the row again with every sync and never gets
 * past it. The real failures of generated columns are checked against each database in
 * {@link ConsolidatedDialectContract}; this covers the rest of each classifier's row list by code.
 */
class RowFailureClassificationTest {
    private final ConsolidatedDialect postgres = new PostgresDialect();
    private final ConsolidatedDialect mariadb = new MariaDbDialect();
    private final ConsolidatedDialect h2 = new H2ConsolidatedDialect();

    @Test
    void postgresFailuresARowCausesAreRowFailures() {
        assertRow(postgres, state("428C9"), ErrorCode.ROW_REJECTED); // a generated or GENERATED ALWAYS column written
        assertRow(postgres, state("P0001"), ErrorCode.ROW_REJECTED); // RAISE EXCEPTION in the table's trigger
        assertRow(postgres, state("P0004"), ErrorCode.ROW_REJECTED); // ASSERT in the table's trigger
        assertRow(postgres, state("38001"), ErrorCode.ROW_REJECTED); // a trigger in another language failed
        assertRow(postgres, state("21000"), ErrorCode.ROW_REJECTED); // a trigger's subquery returned several rows
        assertRow(postgres, state("27000"), ErrorCode.ROW_REJECTED); // a trigger changed the row being changed
        assertRow(postgres, state("44000"), ErrorCode.ROW_CONSTRAINT_VIOLATION); // a view's CHECK OPTION
        assertRow(postgres, state("54000"), ErrorCode.ROW_VALUE_OUT_OF_RANGE); // index row size exceeds maximum
        assertRow(postgres, state("23514"), ErrorCode.ROW_CONSTRAINT_VIOLATION);
        assertRow(postgres, state("22P02"), ErrorCode.ROW_INVALID_VALUE);
    }

    @Test
    void mariaDbFailuresARowCausesAreRowFailures() {
        assertRow(mariadb, code(1906), ErrorCode.ROW_REJECTED); // a value given for a generated column
        assertRow(mariadb, code(1644), ErrorCode.ROW_REJECTED); // SIGNAL in the table's trigger
        assertRow(mariadb, code(1263), ErrorCode.ROW_NOT_NULL_VIOLATION);
        assertRow(mariadb, code(1369), ErrorCode.ROW_CONSTRAINT_VIOLATION);
        assertRow(mariadb, code(1118), ErrorCode.ROW_VALUE_OUT_OF_RANGE);
        assertRow(mariadb, code(4025), ErrorCode.ROW_CONSTRAINT_VIOLATION);
    }

    @Test
    void h2FailuresARowCausesAreRowFailures() {
        assertRow(h2, new SQLException("generated column", "90154", org.h2.api.ErrorCode.GENERATED_COLUMN_CANNOT_BE_ASSIGNED_1),
                ErrorCode.ROW_REJECTED);
        assertRow(h2, new SQLException("invalid value", "90008", org.h2.api.ErrorCode.INVALID_VALUE_2), ErrorCode.ROW_INVALID_VALUE);
    }

    @Test
    void aRowFailureInsideABatchIsStillARowFailure() {
        BatchUpdateException batch = new BatchUpdateException("batch failed", "HY000", 0, new int[0]);
        batch.setNextException(state("428C9"));
        assertRow(postgres, batch, ErrorCode.ROW_REJECTED);
    }

    @Test
    void failuresOfTheDatabaseItselfStaySyncFailures() {
        assertThat(postgres.classify(state("42501")).kind()).as("permission denied").isEqualTo(SqlFailure.Kind.FATAL);
        assertThat(postgres.classify(state("42P01")).kind()).as("table dropped").isEqualTo(SqlFailure.Kind.FATAL);
        assertThat(mariadb.classify(code(1146)).kind()).as("table dropped").isEqualTo(SqlFailure.Kind.FATAL);
    }

    private static void assertRow(ConsolidatedDialect dialect, SQLException e, ErrorCode expected) {
        assertThat(dialect.classify(e)).as("%s: SQLState %s, code %d", dialect.name(), e.getSQLState(), e.getErrorCode())
                .isEqualTo(SqlFailure.row(expected));
    }

    private static SQLException state(String sqlState) {
        return new SQLException("failure " + sqlState, sqlState);
    }

    private static SQLException code(int vendorCode) {
        return new SQLException("failure " + vendorCode, "HY000", vendorCode);
    }
}
