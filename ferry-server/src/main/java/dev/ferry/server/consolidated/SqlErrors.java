package dev.ferry.server.consolidated;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.dialect.Dialect;
import dev.ferry.dialect.SqlFailure;

import java.sql.SQLException;

/** Turns an unexpected SQL failure into the right {@link FerryException} using the dialect's classification. */
public final class SqlErrors {
    private SqlErrors() {
    }

    public static FerryException wrap(String doing, Dialect dialect, SQLException e) {
        SqlFailure f = dialect.classify(e);
        ErrorCode code = switch (f.kind()) {
            case UNAVAILABLE -> ErrorCode.DATABASE_UNAVAILABLE;
            case RETRY_TRANSACTION -> ErrorCode.RETRIES_EXHAUSTED;
            default -> ErrorCode.DATABASE_ERROR;
        };
        return new FerryException(code, doing + " failed: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", null, e);
    }
}
