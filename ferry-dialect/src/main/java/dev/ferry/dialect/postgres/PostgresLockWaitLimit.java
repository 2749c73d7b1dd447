package dev.ferry.dialect.postgres;

import dev.ferry.dialect.LockWaitLimit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * {@code SET LOCAL lock_timeout}: PostgreSQL ends a LOCAL setting with the transaction (commit or
 * rollback), so nothing outlives the transaction and {@link #close()} has nothing to restore. Because
 * a rollback ends it too, {@link #apply()} runs again in every attempt.
 */
final class PostgresLockWaitLimit implements LockWaitLimit {
    private final Connection c;
    private final long millis;

    PostgresLockWaitLimit(Connection c, Duration timeout) {
        this.c = c;
        // 0 would mean "wait forever" to PostgreSQL; the smallest real timeout is 1 ms.
        this.millis = Math.max(1, timeout.toMillis());
    }

    @Override
    public void apply() throws SQLException {
        if (c.getAutoCommit()) {
            // Outside a transaction block SET LOCAL only warns and changes nothing.
            throw new IllegalStateException("a lock-wait limit needs a transaction: auto-commit is on");
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = " + millis);
        }
    }

    @Override
    public void close() {
        // Transaction-scoped: already gone when the transaction ended.
    }
}
