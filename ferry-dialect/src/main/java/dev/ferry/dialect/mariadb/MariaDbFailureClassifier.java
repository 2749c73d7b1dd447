package dev.ferry.dialect.mariadb;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.dialect.jdbc.SqlExceptionChain;

import java.sql.SQLException;

/**
 * MariaDB failures by server error number ({@link SQLException#getErrorCode()}), and SQLState class
 * 08 for lost connections. The driver wraps server errors in several SQLException subclasses and
 * batches in BatchUpdateException, so the whole chain is examined.
 *
 * <p>A value that fails MariaDB's JSON check (a JSON column is LONGTEXT with CHECK json_valid) is
 * reported by the server as a CHECK violation (4025) and therefore classified as
 * {@code ROW_CONSTRAINT_VIOLATION}, not {@code ROW_INVALID_VALUE}.
 *
 * <p>Row errors are everything one row's data can cause while it is written, so that such a row is
 * rejected alone instead of failing every later sync of its remote (issue 10, defect 11); besides
 * keys, constraints and values that includes a value given for a generated column (1906), a NULL for
 * a NOT NULL column in a multi-row write (1263), a view's CHECK OPTION (1369), a row too large for
 * InnoDB's page (1118) and a {@code SIGNAL} raised by the table's own trigger (1644).
 */
final class MariaDbFailureClassifier {
    private MariaDbFailureClassifier() {
    }

    static SqlFailure classify(SQLException e) {
        return SqlExceptionChain.classify(e, MariaDbFailureClassifier::one);
    }

    private static SqlFailure one(SQLException e) {
        SqlFailure byCode = switch (e.getErrorCode()) {
            // deadlock, lock wait timeout, NOWAIT/SKIP LOCKED lock failure, snapshot-isolation conflict (11.x)
            case 1213, 1205, 3572, 1020 -> SqlFailure.retry();
            case 1062, 1586 -> SqlFailure.row(ErrorCode.ROW_DUPLICATE_KEY);
            case 1451, 1452, 1216, 1217 -> SqlFailure.row(ErrorCode.ROW_FOREIGN_KEY_VIOLATION);
            case 1048, 1364, 1263 -> SqlFailure.row(ErrorCode.ROW_NOT_NULL_VIOLATION);
            case 1264, 1406, 1690, 1118 -> SqlFailure.row(ErrorCode.ROW_VALUE_OUT_OF_RANGE);
            case 4025, 3819, 1369 -> SqlFailure.row(ErrorCode.ROW_CONSTRAINT_VIOLATION);
            case 1906, 1644 -> SqlFailure.row(ErrorCode.ROW_REJECTED);
            case 1366, 1292, 1265, 1367, 1411 -> SqlFailure.row(ErrorCode.ROW_INVALID_VALUE);
            // too many connections, server shutdown, connection killed, server gone / lost (client codes)
            case 1040, 1053, 1927, 2006, 2013 -> SqlFailure.unavailable();
            default -> null;
        };
        if (byCode != null) {
            return byCode;
        }
        String state = e.getSQLState();
        return state != null && state.startsWith("08") ? SqlFailure.unavailable() : null;
    }
}
