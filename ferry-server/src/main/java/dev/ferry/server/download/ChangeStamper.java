package dev.ferry.server.download;

import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.TableSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Stamps committed, unstamped changes with the next change position (docs/STATE-TABLES.md,
 * "Stamping"). Stampers serialize on the {@code ferry_clock} row and commit their stamps with the
 * clock, so a reader that sees position W sees every change stamped up to W; a change whose
 * transaction is still open is skipped (its shadow row is invisible or locked) and stamped by a later
 * sync with a larger position. That is why long transactions never cause a missed row.
 */
public final class ChangeStamper {
    private static final int BATCH = 5_000;
    private final ConsolidatedDatabase db;

    public ChangeStamper(ConsolidatedDatabase db) {
        this.db = db;
    }

    /** Stamps what is stampable now; returns the clock position after stamping. */
    public long stamp(Collection<TableSql> tables) {
        ConsolidatedDialect dialect = db.dialect();
        for (int attempt = 0; ; attempt++) {
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                try {
                    long position = lockClock(c);
                    long next = position + 1;
                    long stamped = 0;
                    for (TableSql t : tables) {
                        stamped += stampTable(c, t, next);
                    }
                    // Position 0 means "never downloaded" to a remote, so the clock must leave 0 even
                    // when there is nothing to stamp yet.
                    if (stamped > 0 || position == 0) {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_clock SET position = ? WHERE id = 1")) {
                            ps.setLong(1, next);
                            ps.executeUpdate();
                        }
                        c.commit();
                        return next;
                    }
                    c.rollback();
                    return position;
                } catch (SQLException e) {
                    c.rollback();
                    if (dialect.classify(e).kind() == SqlFailure.Kind.RETRY_TRANSACTION && attempt < 5) {
                        continue;
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw SqlErrors.wrap("stamping changes for download", dialect, e);
            }
        }
    }

    private static long lockClock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT position FROM ferry_clock WHERE id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("ferry_clock has no row; the system tables are damaged", "55000");
            }
            return rs.getLong(1);
        }
    }

    private static long stampTable(Connection c, TableSql t, long position) throws SQLException {
        long total = 0;
        while (true) {
            List<Object[]> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(t.selectUnstamped(BATCH)); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(t.readKey(rs));
                }
            }
            if (keys.isEmpty()) {
                return total;
            }
            try (PreparedStatement ps = c.prepareStatement(t.stamp())) {
                for (Object[] key : keys) {
                    ps.setLong(1, position);
                    t.bindKey(ps, 2, key);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            total += keys.size();
            if (keys.size() < BATCH) {
                return total;
            }
        }
    }
}
