package dev.ferry.server.conflict;

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
 * {@code ferry_conflict}: every conflict and its resolution. Entries are written on the upload's own
 * connection and transaction, so an attempt that rolls back (deadlock replay, failure) leaves none.
 */
public final class ConflictLog {

    /** One logged conflict. Images are JSON text (see {@link RowImages#json}); null where absent. */
    public record Entry(long id, Instant detectedAt, String remoteId, long uploadNumber, String table, String pk, String kind,
                        String policy, String outcome, String oldImage, String remoteImage, String serverImage,
                        String resolvedImage, String detail) {
    }

    /** What to list; null fields do not filter. */
    public record Filter(String table, String remoteId, Instant since, int limit) {
    }

    private static final String COLUMNS = "id, detected_at, remote_id, upload_number, table_name, pk, kind, policy, outcome,"
            + " old_image, remote_image, server_image, resolved_image, detail";

    private ConflictLog() {
    }

    public static void write(Connection c, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_conflict (detected_at, remote_id, upload_number, table_name, pk,"
                + " kind, policy, outcome, old_image, remote_image, server_image, resolved_image, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Entry e : entries) {
                ps.setObject(1, LocalDateTime.ofInstant(e.detectedAt(), ZoneOffset.UTC));
                ps.setString(2, e.remoteId());
                ps.setLong(3, e.uploadNumber());
                ps.setString(4, e.table());
                ps.setString(5, e.pk());
                ps.setString(6, e.kind());
                ps.setString(7, e.policy());
                ps.setString(8, e.outcome());
                ps.setString(9, e.oldImage());
                ps.setString(10, e.remoteImage());
                ps.setString(11, e.serverImage());
                ps.setString(12, e.resolvedImage());
                ps.setString(13, e.detail());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Newest first. */
    public static List<Entry> list(Connection c, Filter f) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM ferry_conflict WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (f.table() != null) {
            sql.append(" AND table_name = ?");
            params.add(f.table());
        }
        if (f.remoteId() != null) {
            sql.append(" AND remote_id = ?");
            params.add(f.remoteId());
        }
        if (f.since() != null) {
            sql.append(" AND detected_at >= ?");
            params.add(LocalDateTime.ofInstant(f.since(), ZoneOffset.UTC));
        }
        sql.append(" ORDER BY id DESC");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setMaxRows(f.limit());
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getString(3),
                            rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14)));
                }
            }
            return out;
        }
    }
}
