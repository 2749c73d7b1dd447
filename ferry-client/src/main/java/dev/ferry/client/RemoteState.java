package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.protocol.UploadRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The single {@code ferry_state} row: who this remote is and how far it has synced. {@code credential}
 * is the remote's own credential from the server (null: none yet); the user's password is never stored.
 */
record RemoteState(String remoteId, String serverUrl, String user, String credential, String consolidatedId, long progress,
                   Long pendingUpload, String pendingUploadId, long lastDownload, String lastDownloadTime, String lastUploadTime) {

    static RemoteState read(Connection c) throws SQLException {
        try {
            return select(c);
        } catch (SQLException e) {
            if (storesPassword(c)) {
                throw new FerryException(ErrorCode.REMOTE_NOT_INITIALIZED, "this remote database was made by an earlier Ferry that stored the"
                        + " sync password in ferry_state; this version keeps a per-remote credential instead and cannot use it",
                        "sync it with the earlier Ferry, then create it again with `ferry remote init`", e);
            }
            throw e;
        }
    }

    /** Whether {@code ferry_state} has the {@code password} column of the earlier layout. */
    private static boolean storesPassword(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT password FROM ferry_state WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static RemoteState select(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT remote_id, server_url, user_name, credential, consolidated_id, progress,"
                + " pending_upload, pending_upload_id, last_download, last_download_time, last_upload_time FROM ferry_state WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("ferry_state has no row");
            }
            long pending = rs.getLong(7);
            Long pendingUpload = rs.wasNull() ? null : pending;
            return new RemoteState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                    pendingUpload, rs.getString(8), rs.getLong(9), rs.getString(10), rs.getString(11));
        }
    }

    /** The upload this remote sent and never heard back about, or null. */
    UploadRef sentUpload() {
        return pendingUpload == null ? null : new UploadRef(pendingUpload, pendingUploadId);
    }

    static void update(Connection c, String assignments, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_state SET " + assignments + " WHERE id = 1")) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }
}
