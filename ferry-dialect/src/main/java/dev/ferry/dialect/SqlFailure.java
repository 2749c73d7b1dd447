package dev.ferry.dialect;

import dev.ferry.core.error.ErrorCode;

/**
 * What a SQL failure means for Ferry.
 *
 * @param kind  how to react
 * @param rowCode for {@link Kind#ROW}: the per-row error code reported to the remote
 */
public record SqlFailure(Kind kind, ErrorCode rowCode) {
    public enum Kind {
        /** Deadlock, serialization failure or lock timeout: roll back and apply the whole upload again. */
        RETRY_TRANSACTION,
        /** Caused by the row's data (constraint, range, format): reject that row, keep the rest. */
        ROW,
        /** The connection or database is gone: fail the sync as retriable. */
        UNAVAILABLE,
        /** Anything else: fail the sync. */
        FATAL
    }

    public static SqlFailure retry() {
        return new SqlFailure(Kind.RETRY_TRANSACTION, null);
    }

    public static SqlFailure row(ErrorCode code) {
        return new SqlFailure(Kind.ROW, code);
    }

    public static SqlFailure unavailable() {
        return new SqlFailure(Kind.UNAVAILABLE, null);
    }

    public static SqlFailure fatal() {
        return new SqlFailure(Kind.FATAL, null);
    }
}
