package dev.ferry.server.registration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * What {@code ferry_remote} says about who a remote id is.
 *
 * @param owner           the user the id is registered to
 * @param incarnation     the token of the database serving as the id; null for remotes made before incarnations
 * @param createdAt       when the id was first registered
 * @param reinitializedAt when another database last became the id, or null
 * @param reinitializedBy by whom, or null
 * @param hasHistory      the id has uploaded or downloaded something
 * @param lastUploadAt    when its last upload committed, or null
 */
record RegisteredRemote(String owner, String incarnation, Instant createdAt, Instant reinitializedAt, String reinitializedBy,
                        boolean hasHistory, Instant lastUploadAt) {

    /** The remote's row, locked for the caller's transaction when {@code forUpdate}; null when the id is unknown. */
    static RegisteredRemote read(Connection c, String remoteId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT user_name, incarnation, created_at, reinitialized_at, reinitialized_by,"
                + " progress, last_download_position, last_upload_at FROM ferry_remote WHERE remote_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, remoteId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new RegisteredRemote(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4), rs.getString(5),
                        rs.getLong(6) > 0 || rs.getLong(7) > 0, instant(rs, 8));
            }
        }
    }

    /** When and by whom the current database became this remote id: its re-initialization, else the registration. */
    String becameAt() {
        return (reinitializedAt != null ? reinitializedAt : createdAt).toString();
    }

    String becameBy() {
        return reinitializedBy != null ? reinitializedBy : owner;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
