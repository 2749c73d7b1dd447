package dev.ferry.dialect.h2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The row-state rules of docs/STATE-TABLES.md ("Tracking triggers") applied to {@code ferry_pending}
 * through the writing session's own connection, so pending rows commit or roll back with the write
 * that caused them.
 *
 * <p>{@code change_seq} comes from the sequence {@code ferry_change_seq} (one value per rule applied;
 * a key-changing update takes two), not from {@code ferry_state.change_counter}: a sequence never
 * waits for another session's row lock, while the counter row is locked for the whole download
 * transaction of the session that set {@code applying = 1}. Every rule is an UPDATE of the existing
 * pending row, falling back to an INSERT when there is none; SQL evaluates all SET expressions against
 * the row as it was, so "capture" compares the previous {@code change_seq} with {@code sent_seq}.
 */
final class H2PendingRows {
    static final String SEQUENCE = "ferry_change_seq";
    private static final String STATE_AFTER_WRITE = "CASE WHEN old_image IS NULL THEN 'inserted' ELSE 'updated' END";
    private static final String CAPTURE = "sent_image = CASE WHEN sent_seq IS NOT NULL AND change_seq = sent_seq"
            + " THEN ? ELSE sent_image END";
    private static final String BUMPED = "change_seq = ?, error_code = NULL, error_message = NULL";
    private static final String WHERE_KEY = " WHERE tbl = ? AND pk = ?";

    private H2PendingRows() {
    }

    /** True while this session (its own, possibly uncommitted, view) has {@code ferry_state.applying = 1}. */
    static boolean applying(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT applying FROM ferry_state WHERE id = 1")) {
            // No state row means tracking is not installed completely: nothing is applying, so track.
            return rs.next() && rs.getInt(1) != 0;
        }
    }

    static void inserted(Connection c, String tbl, String pk) throws SQLException {
        long next = next(c);
        if (update(c, "UPDATE ferry_pending SET state = " + STATE_AFTER_WRITE + ", " + BUMPED + WHERE_KEY, next, tbl, pk) == 0) {
            insert(c, tbl, pk, "inserted", null, next);
        }
    }

    static void updated(Connection c, String tbl, String pk, String oldImage) throws SQLException {
        long next = next(c);
        if (update(c, "UPDATE ferry_pending SET " + CAPTURE + ", state = " + STATE_AFTER_WRITE + ", " + BUMPED + WHERE_KEY,
                oldImage, next, tbl, pk) == 0) {
            insert(c, tbl, pk, "updated", oldImage, next);
        }
    }

    static void deleted(Connection c, String tbl, String pk, String oldImage) throws SQLException {
        long next = next(c);
        if (update(c, "UPDATE ferry_pending SET " + CAPTURE + ", state = 'deleted', " + BUMPED + WHERE_KEY,
                oldImage, next, tbl, pk) == 0) {
            insert(c, tbl, pk, "deleted", oldImage, next);
            return;
        }
        // Inserted (or rejected without an old image) and deleted again before any upload: nothing to send.
        update(c, "DELETE FROM ferry_pending" + WHERE_KEY + " AND old_image IS NULL AND sent_seq IS NULL", tbl, pk);
    }

    static long next(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("VALUES NEXT VALUE FOR " + SEQUENCE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insert(Connection c, String tbl, String pk, String state, String oldImage, long seq) throws SQLException {
        update(c, "INSERT INTO ferry_pending (tbl, pk, state, old_image, change_seq) VALUES (?, ?, ?, ?, ?)",
                tbl, pk, state, oldImage, seq);
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
