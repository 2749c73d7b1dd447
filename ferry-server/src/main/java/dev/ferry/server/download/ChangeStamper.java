package dev.ferry.server.download;

import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.TransactionReplay;
import dev.ferry.server.consolidated.TableSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
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
    /** Keys per stamping UPDATE where the database needs them named ({@link TableSql#stamp}). */
    private static final int KEYS_PER_STATEMENT = 1_000;
    private final ConsolidatedDatabase db;
    private final TransactionReplay replay;

    /** A stamper outside a sync server (download-file creation), replaying at most a few times. */
    public ChangeStamper(ConsolidatedDatabase db) {
        this(db, new TransactionReplay(db.dialect(), 5, Duration.ofMillis(50)));
    }

    public ChangeStamper(ConsolidatedDatabase db, TransactionReplay replay) {
        this.db = db;
        this.replay = replay;
    }

    /** Stamps what is stampable now; returns the clock position after stamping. */
    public long stamp(Collection<TableSql> tables) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return replay.run(c, "stamping changes for download", (tx, attempt) -> {
                Long unchanged = nothingToStamp(tx, tables);
                return unchanged != null ? unchanged : stampOnce(tx, tables, db.dialect().currentTime(tx), db.dialect().stampsInOneStatement());
            }).value();
        } catch (SQLException e) {
            throw SqlErrors.wrap("stamping changes for download", db.dialect(), e);
        }
    }

    /**
     * The clock, when no committed change waits for a stamp: then the clock row is not locked at all, so
     * syncs of a quiet database never queue on it (issue 12). Safe because a change committed before this
     * check is seen by it (READ COMMITTED: each statement sees every earlier commit) and takes the locking
     * path; one committed after it is concurrent with this sync and goes with a later one. A change whose
     * shadow row another stamper holds still reads as unstamped here, so this sync waits for that stamper
     * on the clock row like before. Null: something is unstamped, or the clock still stands at 0.
     */
    private static Long nothingToStamp(Connection c, Collection<TableSql> tables) throws SQLException {
        for (TableSql t : tables) {
            try (PreparedStatement ps = c.prepareStatement(t.anyUnstamped()); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return null;
                }
            }
        }
        long position = ChangeClock.read(c);
        return position == 0 ? null : position;
    }

    private static long stampOnce(Connection c, Collection<TableSql> tables, Instant now, boolean oneStatement) throws SQLException {
        long position = ChangeClock.lock(c);
        long next = nextPosition(position, now);
        long stamped = 0;
        for (TableSql t : tables) {
            stamped += oneStatement ? stampAll(c, t, next) : stampTable(c, t, next);
        }
        // Position 0 means "never downloaded" to a remote, so the clock must leave 0 even when there is
        // nothing to stamp yet. With nothing stamped the clock stays, and committing the empty
        // transaction only releases the lock.
        if (stamped > 0 || position == 0) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_clock SET position = ? WHERE id = 1")) {
                ps.setLong(1, next);
                ps.executeUpdate();
            }
            return next;
        }
        return position;
    }

    /**
     * The next position is the consolidated clock's time in microseconds since the epoch, or one more
     * than the last position if that is larger: positions still only grow, and they also survive the
     * consolidated database going back in time (a restore from a backup, a failover to a replica that
     * missed the last commits, issue 10 defect 10). Positions handed out before such a restore were at
     * most the time they were handed out; the first stamp after it is the time now, larger than all of
     * them, so a remote whose download position came from the lost stretch misses no later change.
     */
    static long nextPosition(long last, Instant now) {
        long micros = Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1_000;
        return Math.max(last + 1, micros);
    }

    /** One set-based UPDATE per table, skipping rows open transactions hold (PostgreSQL). */
    private static long stampAll(Connection c, TableSql t, long position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(t.stampAllUnlocked())) {
            ps.setLong(1, position);
            return ps.executeUpdate();
        }
    }

    /**
     * Where an UPDATE's subquery would wait on locked rows (MariaDB, H2): the keys no other transaction
     * holds are selected and locked first, then stamped by key, many keys per statement.
     */
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
            for (int from = 0; from < keys.size(); from += KEYS_PER_STATEMENT) {
                List<Object[]> some = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_STATEMENT));
                try (PreparedStatement ps = c.prepareStatement(t.stamp(some.size()))) {
                    ps.setLong(1, position);
                    int index = 2;
                    for (Object[] key : some) {
                        index = t.bindKey(ps, index, key);
                    }
                    ps.executeUpdate();
                }
            }
            total += keys.size();
            if (keys.size() < BATCH) {
                return total;
            }
        }
    }
}
