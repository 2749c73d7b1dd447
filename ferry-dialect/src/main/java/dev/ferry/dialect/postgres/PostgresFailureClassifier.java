package dev.ferry.dialect.postgres;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.dialect.jdbc.SqlExceptionChain;

import java.sql.SQLException;

/**
 * PostgreSQL failures by SQLState (PostgreSQL's vendor codes are the SQLStates themselves):
 * deadlock (40P01), serialization failure (40001) and lock timeout (55P03) are retried; class 08,
 * admin/crash shutdown (57P01-03) and too many connections (53300) mean the database is unavailable.
 *
 * <p>Row errors are everything one row's data can cause while it is written, so that such a row is
 * rejected alone instead of failing every later sync of its remote (issue 10, defect 11): class 22
 * (data) and 23 (integrity); a write to a generated or GENERATED ALWAYS column (428C9); a view's CHECK
 * OPTION (44000); a value too large for an index entry (54000); and what the table's own triggers
 * raise: PL/pgSQL {@code RAISE} and {@code ASSERT} (class P0), other trigger languages (class 38),
 * a subquery returning several rows (21000) and a trigger changing a row the statement already
 * changed (27000).
 */
final class PostgresFailureClassifier {
    private PostgresFailureClassifier() {
    }

    static SqlFailure classify(SQLException e) {
        return SqlExceptionChain.classify(e, PostgresFailureClassifier::one);
    }

    private static SqlFailure one(SQLException e) {
        String s = e.getSQLState();
        if (s == null || s.length() != 5) {
            return null;
        }
        return switch (s) {
            case "40P01", "40001", "55P03" -> SqlFailure.retry();
            case "23505" -> SqlFailure.row(ErrorCode.ROW_DUPLICATE_KEY);
            case "23503" -> SqlFailure.row(ErrorCode.ROW_FOREIGN_KEY_VIOLATION);
            case "23502" -> SqlFailure.row(ErrorCode.ROW_NOT_NULL_VIOLATION);
            case "22003", "22001", "54000" -> SqlFailure.row(ErrorCode.ROW_VALUE_OUT_OF_RANGE);
            case "44000" -> SqlFailure.row(ErrorCode.ROW_CONSTRAINT_VIOLATION);
            case "428C9", "21000", "27000" -> SqlFailure.row(ErrorCode.ROW_REJECTED);
            case "57P01", "57P02", "57P03", "53300" -> SqlFailure.unavailable();
            default -> switch (s.substring(0, 2)) {
                case "23" -> SqlFailure.row(ErrorCode.ROW_CONSTRAINT_VIOLATION);
                case "22" -> SqlFailure.row(ErrorCode.ROW_INVALID_VALUE);
                case "P0", "38" -> SqlFailure.row(ErrorCode.ROW_REJECTED);
                case "08" -> SqlFailure.unavailable();
                default -> null;
            };
        };
    }
}
