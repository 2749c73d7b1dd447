package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import dev.ferry.dialect.RemoteDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * {@code ferry_upload_log}: the rows of this remote's acknowledged uploads, each with the version the
 * server had before that upload, kept for {@code ferry_state.upload_log_days} (default 30). It is what
 * lets a remote send its changes again when the consolidated database loses uploads it had
 * acknowledged (restored from a backup, failed over to a replica that missed them: issue 10, defect 10;
 * MobiLink's "the consolidated counter wins, the remote re-sends from it"). Rows the remote still holds
 * are never lost to a server-side restore within that window. {@code ferry_state.upload_log_since} is
 * the first upload whose rows are all still in the log. Every method runs in the caller's local
 * transaction.
 */
final class UploadLog {
    private UploadLog() {
    }

    /** Logs the still-marked rows of {@code ferry_pending}, which the server applied as upload {@code number}, and drops expired entries. */
    static void record(Connection c, long number) throws SQLException {
        String now = Values.format(FerryType.TIMESTAMPTZ, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_upload_log WHERE upload_number >= ?")) {
            ps.setLong(1, number); // a replay of this number after the server went back in time replaces it
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_upload_log (upload_number, tbl, pk, base_image, logged_at)"
                + " SELECT ?, tbl, pk, old_image, ? FROM ferry_pending WHERE sent_seq IS NOT NULL")) {
            ps.setLong(1, number);
            ps.setString(2, now);
            ps.executeUpdate();
        }
        prune(c);
    }

    private static void prune(Connection c) throws SQLException {
        int days;
        try (PreparedStatement ps = c.prepareStatement("SELECT upload_log_days FROM ferry_state WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            days = rs.getInt(1);
        }
        String cutoff = Values.format(FerryType.TIMESTAMPTZ, OffsetDateTime.now(ZoneOffset.UTC).minusDays(days).truncatedTo(ChronoUnit.MICROS));
        Long newest;
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(upload_number) FROM ferry_upload_log WHERE logged_at < ?")) {
            ps.setString(1, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                newest = rs.wasNull() ? null : v;
            }
        }
        if (newest == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_upload_log WHERE upload_number <= ?")) {
            ps.setLong(1, newest);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_state SET upload_log_since = ? WHERE id = 1 AND upload_log_since <= ?")) {
            ps.setLong(1, newest + 1);
            ps.setLong(2, newest);
            ps.executeUpdate();
        }
    }

    /**
     * The consolidated database has this remote's uploads only up to {@code serverProgress}: makes every
     * row of the later uploads pending again, relative to the version the server had before the first
     * of them (which is what it has again now), and moves the progress counter back to the server's.
     * The next upload then carries them, and conflict detection compares against those versions, so a
     * row someone changed on the server since the restore is a logged conflict, not a silent overwrite.
     *
     * @return how many rows were made pending again
     * @throws FerryException {@code CONSOLIDATED_RESTORED} when the log no longer reaches back to the
     *                        first lost upload; nothing is changed then
     */
    static long resend(Connection c, RemoteDialect dialect, RemoteTables tables, PendingRows pending, String remoteId, long progress,
                       long serverProgress) throws SQLException {
        long since;
        try (PreparedStatement ps = c.prepareStatement("SELECT upload_log_since FROM ferry_state WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            since = rs.getLong(1);
        }
        if (serverProgress + 1 < since) {
            throw new FerryException(ErrorCode.CONSOLIDATED_RESTORED, "the consolidated database has the uploads of remote " + remoteId
                    + " only up to " + serverProgress + " (it went back in time) and this remote had " + progress
                    + ", but its upload log only reaches back to upload " + since,
                    "run `ferry remote reset` to upload the changes still pending and download everything; rows of uploads "
                            + (serverProgress + 1) + " to " + (since - 1) + " that have not changed since cannot be sent again");
        }
        pending.settleNotApplied(c);
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT l.tbl, l.pk, l.base_image FROM ferry_upload_log l WHERE l.upload_number ="
                + " (SELECT MIN(m.upload_number) FROM ferry_upload_log m WHERE m.tbl = l.tbl AND m.pk = l.pk AND m.upload_number > ?)");
             PreparedStatement existing = c.prepareStatement("SELECT 1 FROM ferry_pending WHERE tbl = ? AND pk = ?")) {
            ps.setLong(1, serverProgress);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableDef t = tables.find(rs.getString(1));
                    if (t == null) {
                        continue;
                    }
                    String pk = rs.getString(2);
                    String base = rs.getString(3);
                    boolean present = pending.rowPresent(c, t, ImageJson.key(t, pk));
                    String state = present ? (base == null ? "inserted" : "updated") : (base == null ? null : "deleted");
                    existing.setString(1, t.name());
                    existing.setString(2, pk);
                    boolean has;
                    try (ResultSet e = existing.executeQuery()) {
                        has = e.next();
                    }
                    if (has) {
                        update(c, state == null ? "DELETE FROM ferry_pending WHERE tbl = ? AND pk = ?"
                                : "UPDATE ferry_pending SET state = ?, old_image = ?, change_seq = ?, error_code = NULL, error_message = NULL"
                                + " WHERE tbl = ? AND pk = ?", state, base, dialect, t.name(), pk);
                    } else if (state != null) {
                        update(c, "INSERT INTO ferry_pending (state, old_image, change_seq, tbl, pk) VALUES (?, ?, ?, ?, ?)", state, base, dialect,
                                t.name(), pk);
                    }
                    rows++;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_upload_log WHERE upload_number > ?")) {
            ps.setLong(1, serverProgress);
            ps.executeUpdate();
        }
        RemoteState.update(c, "progress = ?, pending_upload = NULL, pending_upload_id = NULL", serverProgress);
        return rows;
    }

    private static void update(Connection c, String sql, String state, String base, RemoteDialect dialect, String tbl, String pk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (state != null) {
                ps.setString(i++, state);
                ps.setString(i++, base);
                ps.setLong(i++, dialect.nextChangeSeq(c));
            }
            ps.setString(i++, tbl);
            ps.setString(i, pk);
            ps.executeUpdate();
        }
    }
}
