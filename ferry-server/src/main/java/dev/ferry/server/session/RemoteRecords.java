package dev.ferry.server.session;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.protocol.RejectedRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@code ferry_remote} and {@code ferry_upload_error}: the per-remote progress
 * counter, times, and the stored per-row results of each remote's last committed upload. Every
 * method runs in the caller's transaction, so progress is recorded in the same transaction as the
 * upload it describes (PITFALLS 2).
 */
final class RemoteRecords {
    private RemoteRecords() {
    }

    /** What the server knows of a remote, read under its row lock. */
    record RemoteRow(long progress, long lastDownload, String lastUploadId, long downloadHighWater) {
    }

    /** Locks the remote's row for this transaction; a second sync of the same remote waits here. */
    static RemoteRow lock(Connection c, String remoteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT progress, last_download_position, last_upload_id, download_high_water FROM ferry_remote WHERE remote_id = ? FOR UPDATE")) {
            ps.setString(1, remoteId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    // Registration or a new credential created the row, and credentials reference it: never missing.
                    throw new FerryException(ErrorCode.INTERNAL, "remote " + remoteId + " vanished while syncing");
                }
                return new RemoteRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4));
            }
        }
    }

    /** Counter zero: the remote is a new database; forget what the server knew of this remote id. */
    static void reset(Connection c, String remoteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE ferry_remote SET progress = 0, last_upload_id = NULL, last_download_position = 0, last_upload_at = NULL, last_download_at = NULL"
                        + " WHERE remote_id = ?")) {
            ps.setString(1, remoteId);
            ps.executeUpdate();
        }
        deleteErrors(c, remoteId);
    }

    /** Records upload {@code number} and its id. The owner ({@code user_name}) stays: a grantee's upload does not take the remote id over. */
    static void recordUpload(Connection c, String remoteId, long number, String uploadId, Instant at, List<RejectedRow> rejected,
                             KeyJson keyJson) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE ferry_remote SET progress = ?, last_upload_id = ?, last_upload_at = ?, updated_at = ? WHERE remote_id = ?")) {
            ps.setLong(1, number);
            ps.setString(2, uploadId);
            ps.setObject(3, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setObject(4, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setString(5, remoteId);
            ps.executeUpdate();
        }
        deleteErrors(c, remoteId);
        if (rejected.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_upload_error (remote_id, upload_number, seq, table_name, pk, code, message)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (RejectedRow r : rejected) {
                ps.setString(1, remoteId);
                ps.setLong(2, number);
                ps.setInt(3, seq++);
                ps.setString(4, r.table());
                ps.setString(5, keyJson.write(r.key()));
                ps.setString(6, r.code().name());
                ps.setString(7, r.message());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static List<RejectedRow> storedRejections(Connection c, String remoteId, long number, KeyJson keyJson) throws SQLException {
        List<RejectedRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, pk, code, message FROM ferry_upload_error"
                + " WHERE remote_id = ? AND upload_number = ? ORDER BY seq")) {
            ps.setString(1, remoteId);
            ps.setLong(2, number);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RejectedRow(rs.getString(1), keyJson.read(rs.getString(2)), ErrorCode.fromWire(rs.getString(3)), rs.getString(4)));
                }
            }
        }
        return out;
    }

    /** The remote confirmed it applied a download up to {@code position}. Never moves backwards. */
    static void recordDownload(Connection c, String remoteId, long position, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_remote SET last_download_position = ?, last_download_at = ?, updated_at = ?"
                + " WHERE remote_id = ? AND last_download_position <= ?")) {
            ps.setLong(1, position);
            ps.setObject(2, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setObject(3, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setString(4, remoteId);
            ps.setLong(5, position);
            ps.executeUpdate();
        }
    }

    private static void deleteErrors(Connection c, String remoteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_upload_error WHERE remote_id = ?")) {
            ps.setString(1, remoteId);
            ps.executeUpdate();
        }
    }
}
