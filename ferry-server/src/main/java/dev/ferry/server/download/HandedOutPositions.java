package dev.ferry.server.download;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * {@code ferry_remote.download_high_water}: the highest download position handed to each remote, by a
 * sync or by a download file made for it. A remote that says it has downloaded past it got its
 * position from a stretch the consolidated database no longer remembers: it went back in time
 * (issue 10, defect 10). Never moves backwards. Runs on the caller's connection in autocommit.
 */
public final class HandedOutPositions {
    private HandedOutPositions() {
    }

    /** A download up to {@code position} was handed to these remotes (every remote when {@code remoteIds} is null). */
    public static void record(Connection c, List<String> remoteIds, long position) throws SQLException {
        if (remoteIds != null && remoteIds.isEmpty()) {
            return;
        }
        String where = remoteIds == null ? "" : " AND remote_id IN (" + String.join(", ", Collections.nCopies(remoteIds.size(), "?")) + ")";
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_remote SET download_high_water = ? WHERE download_high_water < ?" + where)) {
            ps.setLong(1, position);
            ps.setLong(2, position);
            int i = 3;
            if (remoteIds != null) {
                for (String id : remoteIds) {
                    ps.setString(i++, id);
                }
            }
            ps.executeUpdate();
        }
    }
}
