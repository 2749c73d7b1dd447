package dev.ferry.server.session;

import dev.ferry.server.consolidated.ConsolidatedDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Appends one row per sync attempt to {@code ferry_sync_log}; a failure to log never fails a sync. */
final class SyncLog {
    private static final Logger LOG = LoggerFactory.getLogger(SyncLog.class);
    private final ConsolidatedDatabase db;

    SyncLog(ConsolidatedDatabase db) {
        this.db = db;
    }

    /** One finished (or failed) sync. */
    record Entry(String remoteId, String user, Instant started, String mode, String outcome, Long uploadNumber,
                 long uploaded, long rejected, long downloaded, int retries, String errorCode, String message) {
    }

    void write(Entry e) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_sync_log (remote_id, user_name,"
                + " started_at, finished_at, mode, outcome, upload_number, rows_uploaded, rows_rejected, rows_downloaded, retries, error_code, message)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, e.remoteId());
            ps.setString(2, e.user());
            ps.setObject(3, LocalDateTime.ofInstant(e.started(), ZoneOffset.UTC));
            ps.setObject(4, LocalDateTime.now(ZoneOffset.UTC));
            ps.setString(5, e.mode());
            ps.setString(6, e.outcome());
            ps.setObject(7, e.uploadNumber());
            ps.setLong(8, e.uploaded());
            ps.setLong(9, e.rejected());
            ps.setLong(10, e.downloaded());
            ps.setInt(11, e.retries());
            ps.setString(12, e.errorCode());
            ps.setString(13, e.message() == null ? null : e.message().substring(0, Math.min(e.message().length(), 2000)));
            ps.executeUpdate();
        } catch (SQLException ex) {
            LOG.warn("could not write the sync log for remote {}: {}", e.remoteId(), ex.getMessage());
        }
    }
}
