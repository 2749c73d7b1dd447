package dev.ferry.client;

import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.protocol.RejectedRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The state transitions of {@code ferry_pending} that the client (not the triggers) performs:
 * marking rows as sent, and settling them once the server answered. See docs/STATE-TABLES.md.
 * Every method runs in the caller's local transaction.
 */
final class PendingRows {
    private final RemoteDialect dialect;
    private final RemoteTables tables;

    PendingRows(RemoteDialect dialect, RemoteTables tables) {
        this.dialect = dialect;
        this.tables = tables;
    }

    /** Puts every pending (not error) row into the upload being built. */
    int markSent(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_pending SET sent_seq = change_seq, sent_state = state, sent_image = NULL"
                + " WHERE state IN ('inserted', 'updated', 'deleted')")) {
            return ps.executeUpdate();
        }
    }

    /** A row that could not even be encoded for upload: mark it error locally, never send it. */
    void markLocalError(Connection c, String table, String pk, String code, String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_pending SET state = 'error', error_code = ?, error_message = ?,"
                + " sent_seq = NULL, sent_state = NULL, sent_image = NULL WHERE tbl = ? AND pk = ?")) {
            ps.setString(1, code);
            ps.setString(2, message);
            ps.setString(3, table);
            ps.setString(4, pk);
            ps.executeUpdate();
        }
    }

    /**
     * The server committed the upload these marks describe. Rejected rows become {@code error} (unless
     * changed since they were sent, in which case the new version simply waits for the next upload);
     * unchanged rows become synced; rows changed during the sync stay pending, now relative to the
     * version the server has.
     */
    void settleApplied(Connection c, List<RejectedRow> rejected) throws SQLException {
        for (RejectedRow r : rejected) {
            TableDef t = tables.table(r.table());
            Object[] key = ImageJson.key(t, r.key());
            try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_pending SET state = 'error', error_code = ?, error_message = ?,"
                    + " sent_seq = NULL, sent_state = NULL, sent_image = NULL"
                    + " WHERE tbl = ? AND pk = " + dialect.keyTextSql(t) + " AND sent_seq IS NOT NULL AND change_seq = sent_seq")) {
                ps.setString(1, r.code().name());
                ps.setString(2, r.message());
                ps.setString(3, t.name());
                dialect.bindKey(ps, 4, t, key);
                ps.executeUpdate();
            }
        }
        exec(c, "DELETE FROM ferry_pending WHERE sent_seq IS NOT NULL AND change_seq = sent_seq");
        // Sent as a delete (now applied), re-inserted and deleted again locally: nothing left to do.
        exec(c, "DELETE FROM ferry_pending WHERE sent_seq IS NOT NULL AND sent_state = 'deleted' AND state = 'deleted'");
        exec(c, "UPDATE ferry_pending SET old_image = CASE WHEN sent_state = 'deleted' THEN NULL ELSE sent_image END,"
                + " state = CASE WHEN state = 'deleted' THEN 'deleted' WHEN sent_state = 'deleted' THEN 'inserted' ELSE 'updated' END,"
                + " sent_seq = NULL, sent_state = NULL, sent_image = NULL WHERE sent_seq IS NOT NULL");
    }

    /** The server never committed the upload these marks describe: forget the marks, keep every change pending. */
    void settleNotApplied(Connection c) throws SQLException {
        // Inserted, sent, then deleted while in flight: the server never had it, so nothing remains to upload.
        exec(c, "DELETE FROM ferry_pending WHERE sent_seq IS NOT NULL AND old_image IS NULL AND state = 'deleted'");
        exec(c, "UPDATE ferry_pending SET sent_seq = NULL, sent_state = NULL, sent_image = NULL WHERE sent_seq IS NOT NULL");
    }

    /**
     * A downloaded delete the remote's foreign keys refuse (local rows still reference the row): the
     * row is kept and shown as {@code error} rather than deleted along with its dependants or left
     * looking synced. The server no longer has it, so deleting it locally uploads nothing, and
     * changing it uploads it again as an insert.
     */
    void markDeleteBlocked(Connection c, TableDef t, Object[] key, String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_pending (tbl, pk, state, old_image, change_seq, error_code, error_message)"
                + " VALUES (?, " + dialect.keyTextSql(t) + ", 'error', NULL,"
                + " (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM ferry_pending), ?, ?)")) {
            ps.setString(1, t.name());
            int next = dialect.bindKey(ps, 2, t, key);
            ps.setString(next, dev.ferry.core.error.ErrorCode.ROW_DELETE_BLOCKED.name());
            ps.setString(next + 1, message);
            ps.executeUpdate();
        }
    }

    /**
     * The row's {@code ferry_pending} state ({@code inserted}, {@code updated}, {@code deleted} or
     * {@code error}), or null when it is synced: a download must not overwrite a row that has one.
     */
    String localState(PreparedStatement lookup, TableDef t, Object[] key) throws SQLException {
        lookup.setString(1, t.name());
        dialect.bindKey(lookup, 2, t, key);
        try (var rs = lookup.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    String lookupSql(TableDef t) {
        return "SELECT state FROM ferry_pending WHERE tbl = ? AND pk = " + dialect.keyTextSql(t);
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}
