package dev.ferry.dialect.jdbc;

import dev.ferry.dialect.LockWaitLimit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A lock-wait limit kept in a session variable that neither commit nor rollback undoes (MariaDB's
 * {@code innodb_lock_wait_timeout}, H2's {@code LOCK_TIMEOUT}): the session's own value is read when
 * the limit is made and written back by {@link #close()}, so a pooled connection goes back as it was
 * lent (issue 10, defect 8). The dialect supplies the query and the statement, and the value in the
 * database's unit. Not thread-safe, like the connection.
 */
public final class RestoredSessionLockWait implements LockWaitLimit {
    private final Connection c;
    private final String setPrefix;
    private final long value;
    private final long previous;
    private boolean changed;

    /**
     * @param readSql   a query returning the session's current value in its first column
     * @param setPrefix the statement that sets it, to which the value is appended (e.g. {@code "SET LOCK_TIMEOUT "})
     * @param value     the limit in the database's unit
     */
    public RestoredSessionLockWait(Connection c, String readSql, String setPrefix, long value) throws SQLException {
        this.c = c;
        this.setPrefix = setPrefix;
        this.value = value;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(readSql)) {
            rs.next();
            this.previous = rs.getLong(1);
        }
    }

    @Override
    public void apply() throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("a lock-wait limit needs a transaction: auto-commit is on");
        }
        set(value);
        changed = true;
    }

    @Override
    public void close() throws SQLException {
        if (changed) {
            set(previous);
            changed = false;
        }
    }

    private void set(long v) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(setPrefix + v);
        }
    }
}
