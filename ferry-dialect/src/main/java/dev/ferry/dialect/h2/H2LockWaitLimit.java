package dev.ferry.dialect.h2;

import dev.ferry.dialect.LockWaitLimit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * {@code SET LOCK_TIMEOUT}, milliseconds. H2 keeps it for the session (neither commit nor rollback
 * touches it), so the session's own value ({@code LOCK_TIMEOUT()}, which reflects a
 * {@code ;LOCK_TIMEOUT=} in the URL) is read when the limit is made and written back by {@link #close()}.
 */
final class H2LockWaitLimit implements LockWaitLimit {
    private final Connection c;
    private final long millis;
    private final long previous;
    private boolean changed;

    H2LockWaitLimit(Connection c, Duration timeout) throws SQLException {
        this.c = c;
        this.millis = Math.max(0, timeout.toMillis());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT LOCK_TIMEOUT()")) {
            rs.next();
            this.previous = rs.getLong(1);
        }
    }

    @Override
    public void apply() throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("a lock-wait limit needs a transaction: auto-commit is on");
        }
        set(millis);
        changed = true;
    }

    @Override
    public void close() throws SQLException {
        if (changed) {
            set(previous);
            changed = false;
        }
    }

    private void set(long value) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCK_TIMEOUT " + value);
        }
    }
}
