package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.protocol.RejectedRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
     * The server committed the upload these marks describe (docs/STATE-TABLES.md, "Settling"). For each
     * sent row, by what the server answered and what the application did since the row was sent:
     * <ul>
     * <li>rejected, unchanged since sent: {@code error} with the server's code and message;</li>
     * <li>rejected, changed since sent: pending again relative to what the server really has, which is
     *     the old image from before the upload (the rejected version never reached it: defect 2); an
     *     insert the server refused and the application then deleted leaves nothing to upload;</li>
     * <li>applied, unchanged since sent: synced (the pending row goes);</li>
     * <li>applied, changed since sent: pending relative to the version the server now has, the sent
     *     image (a delete the server applied makes a re-insert an insert).</li>
     * </ul>
     */
    void settleApplied(Connection c, long uploadNumber, List<RejectedRow> rejected) throws SQLException {
        for (RejectedRow r : rejected) {
            TableDef t = tables.table(r.table());
            Object[] key = ImageJson.key(t, r.key());
            String row = " WHERE tbl = ? AND pk = " + dialect.keyTextSql(t) + " AND sent_seq IS NOT NULL";
            try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_pending SET state = 'error', error_code = ?, error_message = ?,"
                    + " sent_seq = NULL, sent_state = NULL, sent_image = NULL" + row + " AND change_seq = sent_seq")) {
                ps.setString(1, r.code().name());
                ps.setString(2, r.message());
                ps.setString(3, t.name());
                dialect.bindKey(ps, 4, t, key);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_pending" + row
                    + " AND change_seq <> sent_seq AND old_image IS NULL AND state = 'deleted'")) {
                ps.setString(1, t.name());
                dialect.bindKey(ps, 2, t, key);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_pending SET sent_seq = NULL, sent_state = NULL, sent_image = NULL,"
                    + " state = CASE WHEN state = 'deleted' THEN 'deleted' WHEN old_image IS NULL THEN 'inserted' ELSE 'updated' END"
                    + row + " AND change_seq <> sent_seq")) {
                ps.setString(1, t.name());
                dialect.bindKey(ps, 2, t, key);
                ps.executeUpdate();
            }
        }
        // What is still marked now is what the server applied: remember it, with the version the server
        // had before, in case the consolidated database loses this upload later.
        UploadLog.record(c, uploadNumber);
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
        long seq = dialect.nextChangeSeq(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_pending (tbl, pk, state, old_image, change_seq, error_code, error_message)"
                + " VALUES (?, " + dialect.keyTextSql(t) + ", 'error', NULL, ?, ?, ?)")) {
            ps.setString(1, t.name());
            int next = dialect.bindKey(ps, 2, t, key);
            ps.setLong(next, seq);
            ps.setString(next + 1, ErrorCode.ROW_DELETE_BLOCKED.name());
            ps.setString(next + 2, message);
            ps.executeUpdate();
        }
    }

    /**
     * What {@code ferry_pending} holds for a row, or null when it is synced. {@code state} is
     * {@code inserted}, {@code updated}, {@code deleted} or {@code error}; {@code errorCode} is set for
     * {@code error}; {@code serverHadIt} tells whether the entry has an old image (the server had the row).
     */
    record Local(String state, String errorCode, boolean serverHadIt) {
        /** A kept row the server deleted while local rows referenced it (the remote holds no change of its own). */
        boolean isDeleteBlocked() {
            return state.equals("error") && ErrorCode.ROW_DELETE_BLOCKED.name().equals(errorCode);
        }

        /** The server refused this remote's delete of a row it still has. */
        boolean isRefusedDelete(boolean rowPresent) {
            return state.equals("error") && !isDeleteBlocked() && serverHadIt && !rowPresent;
        }
    }

    Local local(PreparedStatement lookup, TableDef t, Object[] key) throws SQLException {
        lookup.setString(1, t.name());
        dialect.bindKey(lookup, 2, t, key);
        try (var rs = lookup.executeQuery()) {
            return rs.next() ? new Local(rs.getString(1), rs.getString(2), rs.getInt(3) == 1) : null;
        }
    }

    String lookupSql(TableDef t) {
        // Read again at every execution: the look after a download's write must see a local change the write waited for.
        return dialect.readAgainAtEveryExecution("SELECT state, error_code, CASE WHEN old_image IS NULL THEN 0 ELSE 1 END FROM ferry_pending"
                + " WHERE tbl = ? AND pk = " + dialect.keyTextSql(t));
    }

    /** Drops the entry of a row whose sides agree again (a blocked delete that went through, a refused delete the server also made). */
    void forget(Connection c, TableDef t, Object[] key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_pending WHERE tbl = ? AND pk = " + dialect.keyTextSql(t))) {
            ps.setString(1, t.name());
            dialect.bindKey(ps, 2, t, key);
            ps.executeUpdate();
        }
    }

    /**
     * The rows in {@code error} that need the server's version to heal: kept rows the server deleted
     * ({@code ROW_DELETE_BLOCKED}: the delete is tried again) and refused deletes whose row the remote
     * has not got back yet (a lost download would otherwise leave it absent for good, and the rows that
     * depend on it blocked).
     */
    Map<TableDef, List<Object[]>> keysToRefetch(Connection c) throws SQLException {
        Map<TableDef, List<Object[]>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tbl, pk, error_code, CASE WHEN old_image IS NULL THEN 0 ELSE 1 END"
                + " FROM ferry_pending WHERE state = 'error'"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TableDef t = tables.find(rs.getString(1));
                if (t == null) {
                    continue;
                }
                Object[] key = ImageJson.key(t, rs.getString(2));
                Local local = new Local("error", rs.getString(3), rs.getInt(4) == 1);
                if (local.isDeleteBlocked() || local.isRefusedDelete(rowPresent(c, t, key))) {
                    out.computeIfAbsent(t, k -> new ArrayList<>()).add(key);
                }
            }
        }
        return out;
    }

    boolean rowPresent(Connection c, TableDef t, Object[] key) throws SQLException {
        String sql = "SELECT 1 FROM " + dialect.quote(t.name()) + " WHERE " + t.keyColumns().stream()
                .map(k -> dialect.quote(k.name()) + " = " + dialect.placeholder(k)).collect(Collectors.joining(" AND "));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < key.length; i++) {
                dialect.bind(ps, i + 1, t.keyColumns().get(i), key[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}
