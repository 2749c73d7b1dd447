package dev.ferry.dialect.sqlite;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.dialect.SqlFailure;
import org.sqlite.SQLiteException;

import java.sql.SQLException;

/**
 * Classifies SQLite failures by result code. xerial's {@link SQLiteException} carries the extended
 * code (e.g. SQLITE_CONSTRAINT_FOREIGNKEY = 787), while {@link SQLException#getErrorCode()} only has the
 * primary one (SQLITE_CONSTRAINT = 19). Kept apart from {@link SqliteDialect} so that loading the dialect
 * never needs the driver's classes before a failure actually has to be classified.
 */
final class SqliteErrors {
    // Primary result codes (https://sqlite.org/rescode.html).
    private static final int IOERR = 10;
    private static final int CORRUPT = 11;
    private static final int FULL = 13;
    private static final int CANTOPEN = 14;
    private static final int BUSY = 5;
    private static final int LOCKED = 6;
    private static final int TOOBIG = 18;
    private static final int CONSTRAINT = 19;
    private static final int MISMATCH = 20;
    private static final int RANGE = 25;
    private static final int NOTADB = 26;
    // Extended SQLITE_CONSTRAINT_* codes.
    private static final int CONSTRAINT_CHECK = 275;
    private static final int CONSTRAINT_FOREIGNKEY = 787;
    private static final int CONSTRAINT_NOTNULL = 1299;
    private static final int CONSTRAINT_PRIMARYKEY = 1555;
    private static final int CONSTRAINT_UNIQUE = 2067;
    private static final int CONSTRAINT_ROWID = 2579;
    private static final int CONSTRAINT_DATATYPE = 3091;

    private SqliteErrors() {
    }

    static SqlFailure classify(SQLException e) {
        int code = resultCode(e);
        int primary = code & 0xff;
        return switch (primary) {
            case BUSY, LOCKED -> SqlFailure.retry();
            case CONSTRAINT -> SqlFailure.row(constraint(code));
            case MISMATCH -> SqlFailure.row(ErrorCode.ROW_INVALID_VALUE);
            case TOOBIG, RANGE -> SqlFailure.row(ErrorCode.ROW_VALUE_OUT_OF_RANGE);
            case IOERR, FULL, CANTOPEN -> SqlFailure.unavailable();
            case CORRUPT, NOTADB -> SqlFailure.fatal();
            default -> e.getSQLState() != null && e.getSQLState().startsWith("08") ? SqlFailure.unavailable() : SqlFailure.fatal();
        };
    }

    private static ErrorCode constraint(int extended) {
        return switch (extended) {
            case CONSTRAINT_PRIMARYKEY, CONSTRAINT_UNIQUE, CONSTRAINT_ROWID -> ErrorCode.ROW_DUPLICATE_KEY;
            case CONSTRAINT_FOREIGNKEY -> ErrorCode.ROW_FOREIGN_KEY_VIOLATION;
            case CONSTRAINT_NOTNULL -> ErrorCode.ROW_NOT_NULL_VIOLATION;
            case CONSTRAINT_DATATYPE -> ErrorCode.ROW_INVALID_VALUE;
            case CONSTRAINT_CHECK -> ErrorCode.ROW_CONSTRAINT_VIOLATION;
            default -> ErrorCode.ROW_CONSTRAINT_VIOLATION;
        };
    }

    private static int resultCode(SQLException e) {
        if (e instanceof SQLiteException se && se.getResultCode() != null) {
            return se.getResultCode().code;
        }
        return e.getErrorCode();
    }
}
