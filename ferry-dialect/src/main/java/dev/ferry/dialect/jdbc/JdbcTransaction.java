package dev.ferry.dialect.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs a unit of work atomically on a connection: in a transaction of its own when the connection
 * is in auto-commit (committed, or rolled back on failure, auto-commit restored), inside the
 * caller's transaction otherwise. On databases with transactional DDL (PostgreSQL) this makes
 * "drop trigger, create trigger" invisible to concurrent writers.
 */
public final class JdbcTransaction {
    /** Work that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface Work {
        void run() throws SQLException;
    }

    private JdbcTransaction() {
    }

    public static void run(Connection c, Work work) throws SQLException {
        if (!c.getAutoCommit()) {
            work.run();
            return;
        }
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
