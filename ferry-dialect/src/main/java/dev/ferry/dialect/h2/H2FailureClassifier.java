package dev.ferry.dialect.h2;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.dialect.jdbc.SqlExceptionChain;

import java.sql.SQLException;

/**
 * H2 failures by H2 error code ({@link org.h2.api.ErrorCode}, which is {@link SQLException#getErrorCode()}),
 * then by SQLState class 22/23 for the data errors without a dedicated rule. A write to a generated or
 * GENERATED ALWAYS column (90154) and an invalid value (90008) are row errors too, so such a row is
 * rejected alone instead of failing every later sync of its remote (issue 10, defect 11).
 */
final class H2FailureClassifier {
    private H2FailureClassifier() {
    }

    static SqlFailure classify(SQLException e) {
        return SqlExceptionChain.classify(e, H2FailureClassifier::one);
    }

    private static SqlFailure one(SQLException e) {
        SqlFailure byCode = switch (e.getErrorCode()) {
            case org.h2.api.ErrorCode.DEADLOCK_1, org.h2.api.ErrorCode.LOCK_TIMEOUT_1,
                 org.h2.api.ErrorCode.CONCURRENT_UPDATE_1 -> SqlFailure.retry();
            case org.h2.api.ErrorCode.DUPLICATE_KEY_1 -> SqlFailure.row(ErrorCode.ROW_DUPLICATE_KEY);
            case org.h2.api.ErrorCode.REFERENTIAL_INTEGRITY_VIOLATED_PARENT_MISSING_1,
                 org.h2.api.ErrorCode.REFERENTIAL_INTEGRITY_VIOLATED_CHILD_EXISTS_1 -> SqlFailure.row(ErrorCode.ROW_FOREIGN_KEY_VIOLATION);
            case org.h2.api.ErrorCode.NULL_NOT_ALLOWED -> SqlFailure.row(ErrorCode.ROW_NOT_NULL_VIOLATION);
            case org.h2.api.ErrorCode.CHECK_CONSTRAINT_VIOLATED_1 -> SqlFailure.row(ErrorCode.ROW_CONSTRAINT_VIOLATION);
            case org.h2.api.ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE_1, org.h2.api.ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE_2,
                 org.h2.api.ErrorCode.VALUE_TOO_LONG_2 -> SqlFailure.row(ErrorCode.ROW_VALUE_OUT_OF_RANGE);
            case org.h2.api.ErrorCode.DATA_CONVERSION_ERROR_1, org.h2.api.ErrorCode.INVALID_DATETIME_CONSTANT_2,
                 org.h2.api.ErrorCode.ENUM_VALUE_NOT_PERMITTED, org.h2.api.ErrorCode.HEX_STRING_ODD_1,
                 org.h2.api.ErrorCode.HEX_STRING_WRONG_1, org.h2.api.ErrorCode.INVALID_VALUE_2 -> SqlFailure.row(ErrorCode.ROW_INVALID_VALUE);
            case org.h2.api.ErrorCode.GENERATED_COLUMN_CANNOT_BE_ASSIGNED_1 -> SqlFailure.row(ErrorCode.ROW_REJECTED);
            case org.h2.api.ErrorCode.CONNECTION_BROKEN_1, org.h2.api.ErrorCode.DATABASE_IS_CLOSED,
                 org.h2.api.ErrorCode.DATABASE_CALLED_AT_SHUTDOWN, org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1 -> SqlFailure.unavailable();
            default -> null;
        };
        if (byCode != null) {
            return byCode;
        }
        String state = e.getSQLState();
        if (state == null) {
            return null;
        }
        if (state.startsWith("23")) {
            return SqlFailure.row(ErrorCode.ROW_CONSTRAINT_VIOLATION);
        }
        if (state.startsWith("22")) {
            return SqlFailure.row(ErrorCode.ROW_INVALID_VALUE);
        }
        return state.startsWith("08") ? SqlFailure.unavailable() : null;
    }
}
