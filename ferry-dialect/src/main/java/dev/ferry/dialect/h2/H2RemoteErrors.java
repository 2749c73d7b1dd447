package dev.ferry.dialect.h2;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.dialect.SqlFailure;

import java.sql.SQLException;

import static org.h2.api.ErrorCode.CHECK_CONSTRAINT_VIOLATED_1;
import static org.h2.api.ErrorCode.CONCURRENT_UPDATE_1;
import static org.h2.api.ErrorCode.CONNECTION_BROKEN_1;
import static org.h2.api.ErrorCode.DATABASE_IS_CLOSED;
import static org.h2.api.ErrorCode.DATA_CONVERSION_ERROR_1;
import static org.h2.api.ErrorCode.DEADLOCK_1;
import static org.h2.api.ErrorCode.DUPLICATE_KEY_1;
import static org.h2.api.ErrorCode.INVALID_DATETIME_CONSTANT_2;
import static org.h2.api.ErrorCode.INVALID_VALUE_2;
import static org.h2.api.ErrorCode.IO_EXCEPTION_1;
import static org.h2.api.ErrorCode.IO_EXCEPTION_2;
import static org.h2.api.ErrorCode.LOCK_TIMEOUT_1;
import static org.h2.api.ErrorCode.NULL_NOT_ALLOWED;
import static org.h2.api.ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE_1;
import static org.h2.api.ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE_2;
import static org.h2.api.ErrorCode.REFERENTIAL_INTEGRITY_VIOLATED_CHILD_EXISTS_1;
import static org.h2.api.ErrorCode.REFERENTIAL_INTEGRITY_VIOLATED_PARENT_MISSING_1;
import static org.h2.api.ErrorCode.ROW_NOT_FOUND_WHEN_DELETING_1;
import static org.h2.api.ErrorCode.VALUE_TOO_LONG_2;

/** Classifies H2 failures by {@link org.h2.api.ErrorCode} (the vendor code), never by message. */
final class H2RemoteErrors {
    private H2RemoteErrors() {
    }

    static SqlFailure classify(SQLException e) {
        return switch (e.getErrorCode()) {
            case LOCK_TIMEOUT_1, DEADLOCK_1, CONCURRENT_UPDATE_1, ROW_NOT_FOUND_WHEN_DELETING_1 -> SqlFailure.retry();
            case DUPLICATE_KEY_1 -> SqlFailure.row(ErrorCode.ROW_DUPLICATE_KEY);
            case REFERENTIAL_INTEGRITY_VIOLATED_PARENT_MISSING_1, REFERENTIAL_INTEGRITY_VIOLATED_CHILD_EXISTS_1 ->
                    SqlFailure.row(ErrorCode.ROW_FOREIGN_KEY_VIOLATION);
            case NULL_NOT_ALLOWED -> SqlFailure.row(ErrorCode.ROW_NOT_NULL_VIOLATION);
            case CHECK_CONSTRAINT_VIOLATED_1 -> SqlFailure.row(ErrorCode.ROW_CONSTRAINT_VIOLATION);
            case VALUE_TOO_LONG_2, NUMERIC_VALUE_OUT_OF_RANGE_1, NUMERIC_VALUE_OUT_OF_RANGE_2 ->
                    SqlFailure.row(ErrorCode.ROW_VALUE_OUT_OF_RANGE);
            case DATA_CONVERSION_ERROR_1, INVALID_DATETIME_CONSTANT_2, INVALID_VALUE_2 -> SqlFailure.row(ErrorCode.ROW_INVALID_VALUE);
            case DATABASE_IS_CLOSED, CONNECTION_BROKEN_1, IO_EXCEPTION_1, IO_EXCEPTION_2 -> SqlFailure.unavailable();
            default -> e.getSQLState() != null && e.getSQLState().startsWith("08") ? SqlFailure.unavailable() : SqlFailure.fatal();
        };
    }
}
