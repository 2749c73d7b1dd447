package dev.ferry.dialect.mariadb;

import dev.ferry.dialect.LockWaitLimit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * {@code innodb_lock_wait_timeout}, whole seconds, at least 1. It is a session variable (a rollback
 * does not undo it) and {@code SET STATEMENT ... FOR} would have to wrap every statement of an upload,
 * so the session's own value is read when the limit is made and written back by {@link #close()}.
 */
final class MariaDbLockWaitLimit implements LockWaitLimit {
    private final Connection c;
    private final long seconds;
    private final long previous;
    private boolean changed;

    MariaDbLockWaitLimit(Connection c, Duration timeout) throws SQLException {
        this.c = c;
        // Round up so we never wait less than asked.
        this.seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@SESSION.innodb_lock_wait_timeout")) {
            rs.next();
            this.previous = rs.getLong(1);
        }
    }

    @Override
    public void apply() throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("a lock-wait limit needs a transaction: auto-commit is on");
        }
        set(seconds);
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
            s.execute("SET SESSION innodb_lock_wait_timeout = " + value);
        }
    }
}
