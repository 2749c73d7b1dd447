package dev.ferry.dialect;

import java.sql.SQLException;

/**
 * A limit on how long one connection's transactions wait for row locks, made by
 * {@link ConsolidatedDialect#lockWaitLimit}. {@link #apply()} puts it in force for the current
 * transaction; {@link #close()} puts the session back exactly as it was before the limit was made, so
 * a pooled connection hands nothing to its next user (issue 10, defect 8). Use it on the thread that
 * owns the connection and close it before the connection goes back to its pool, also after a failure.
 */
public interface LockWaitLimit extends AutoCloseable {
    /**
     * Puts the limit in force for the connection's current transaction (auto-commit must be off). Call
     * it at the start of every attempt of a transaction: on some databases a rollback undoes it.
     */
    void apply() throws SQLException;

    /** Restores the session's own setting; idempotent. */
    @Override
    void close() throws SQLException;
}
