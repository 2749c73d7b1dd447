package dev.ferry.client;

import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code ferry_pending} entries of the synchronized tables, read in one query when a download
 * starts, so that each downloaded row is checked against them in memory instead of by a lookup per row
 * (issue 12). Only valid while nothing but the download itself writes {@code ferry_pending}: on a
 * remote whose download transaction locks every other writer out from its first write on (SQLite,
 * {@code RemoteDialect#localWritesInterleaveWithDownloads} false), read after that write. The download
 * reports its own changes of entries ({@link #forgot}, {@link #put}). Keys compare as {@link RowKey}s.
 * Not thread-safe; one download.
 */
final class PendingEntries {
    private final Map<String, Map<RowKey, PendingRows.Local>> entries = new HashMap<>();

    private PendingEntries() {
    }

    static PendingEntries load(Connection c, RemoteTables tables) throws SQLException {
        PendingEntries p = new PendingEntries();
        try (PreparedStatement ps = c.prepareStatement("SELECT tbl, pk, state, error_code, CASE WHEN old_image IS NULL THEN 0 ELSE 1 END"
                + " FROM ferry_pending"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TableDef t = tables.find(rs.getString(1));
                if (t != null) {
                    p.put(t, ImageJson.key(t, rs.getString(2)), new PendingRows.Local(rs.getString(3), rs.getString(4), rs.getInt(5) == 1));
                }
            }
        }
        return p;
    }

    /** The row's entry, or null when it has none (it is synced). */
    PendingRows.Local get(TableDef t, Object[] key) {
        Map<RowKey, PendingRows.Local> table = entries.get(t.name());
        return table == null || table.isEmpty() ? null : table.get(RowKey.of(key));
    }

    /** The download wrote this entry. */
    void put(TableDef t, Object[] key, PendingRows.Local local) {
        entries.computeIfAbsent(t.name(), k -> new HashMap<>()).put(RowKey.of(key), local);
    }

    /** The download removed this entry. */
    void forgot(TableDef t, Object[] key) {
        Map<RowKey, PendingRows.Local> table = entries.get(t.name());
        if (table != null) {
            table.remove(RowKey.of(key));
        }
    }
}
