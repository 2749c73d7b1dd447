package dev.ferry.client;

import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server versions a download passed over because the remote held a change or an error of its own for
 * the row ({@code ferry_download_skipped}). The download position moves past them, so if the local
 * entry later goes without reaching the server (an insert deleted again before any upload, a rejected
 * row deleted or discarded, a rejected insert the application deleted), nothing would ever bring the
 * server's version back: each sync asks for every recorded key that no longer has a pending entry
 * ({@link #keysToRefetch}), and the record goes once a download applies a version of the row.
 * Runs in the caller's local transaction; the recorded keys are read once per download.
 */
final class SkippedDownloads {
    private final RemoteDialect dialect;
    private final RecordedKeys skipped;

    private SkippedDownloads(RemoteDialect dialect, RecordedKeys skipped) {
        this.dialect = dialect;
        this.skipped = skipped;
    }

    static SkippedDownloads load(Connection c, RemoteDialect dialect, RemoteTables tables) throws SQLException {
        return new SkippedDownloads(dialect, RecordedKeys.load(c, dialect, tables, "ferry_download_skipped"));
    }

    /**
     * The recorded keys whose local entry is gone (nothing pending, nothing blocked): the server's
     * version was passed over and nothing else will bring it.
     */
    static Map<TableDef, List<Object[]>> keysToRefetch(Connection c, RemoteTables tables) throws SQLException {
        Map<TableDef, List<Object[]>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.tbl, s.pk FROM ferry_download_skipped s"
                + " WHERE NOT EXISTS (SELECT 1 FROM ferry_pending p WHERE p.tbl = s.tbl AND p.pk = s.pk)"
                + " AND NOT EXISTS (SELECT 1 FROM ferry_download_blocked b WHERE b.tbl = s.tbl AND b.pk = s.pk)");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TableDef t = tables.find(rs.getString(1));
                if (t != null) {
                    out.computeIfAbsent(t, k -> new ArrayList<>()).add(ImageJson.key(t, rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** The download kept the local version of this row over the server's. */
    void record(Connection c, TableDef t, Object[] key) throws SQLException {
        if (skipped.contains(t, key)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_download_skipped (tbl, pk) VALUES (?, " + dialect.keyTextSql(t) + ")")) {
            ps.setString(1, t.name());
            dialect.bindKey(ps, 2, t, key);
            ps.executeUpdate();
        }
        skipped.added(t, key);
    }

    /** The download took the server's version of this row (or its delete): nothing is owed any more. */
    void clear(Connection c, TableDef t, Object[] key) throws SQLException {
        skipped.remove(c, t, key);
    }
}
