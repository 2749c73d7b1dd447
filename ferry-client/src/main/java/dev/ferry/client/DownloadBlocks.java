package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The downloaded rows this remote's own constraints refused ({@code ferry_download_blocked}, issue 10
 * defect 1): a foreign key to a row the remote lacks, a CHECK the remote has. Such a row is kept out,
 * recorded with {@link ErrorCode#ROW_DOWNLOAD_BLOCKED} and why, and the rest of the download applies;
 * every later sync asks the server for it again ({@link #keys}) until a version of it applies, which
 * clears the record. No download fails as a whole because of one row's data. Runs in the caller's
 * local transaction; the set of blocked keys is read once per download.
 */
final class DownloadBlocks {
    private final RemoteDialect dialect;
    private final Map<String, Set<Key>> blocked = new HashMap<>();

    private DownloadBlocks(RemoteDialect dialect) {
        this.dialect = dialect;
    }

    /** The blocked keys as they stand now. */
    static DownloadBlocks load(Connection c, RemoteDialect dialect, RemoteTables tables) throws SQLException {
        DownloadBlocks b = new DownloadBlocks(dialect);
        try (PreparedStatement ps = c.prepareStatement("SELECT tbl, pk FROM ferry_download_blocked"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TableDef t = tables.find(rs.getString(1));
                if (t != null) {
                    b.blocked.computeIfAbsent(t.name(), k -> new HashSet<>()).add(comparable(ImageJson.key(t, rs.getString(2))));
                }
            }
        }
        return b;
    }

    /** Every blocked key, per table: the sync asks the server for their current versions. */
    Map<TableDef, List<Object[]>> keys(RemoteTables tables) {
        Map<TableDef, List<Object[]>> out = new HashMap<>();
        blocked.forEach((name, keys) -> {
            List<Object[]> list = new ArrayList<>();
            keys.forEach(k -> list.add(k.key()));
            out.put(tables.table(name), list);
        });
        return out;
    }

    /** A key with value equality (binary values compared by content). */
    private record Key(List<Object> comparable, Object[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.comparable.equals(comparable);
        }

        @Override
        public int hashCode() {
            return comparable.hashCode();
        }
    }

    private static Key comparable(Object[] key) {
        List<Object> parts = new ArrayList<>(key.length);
        for (Object v : key) {
            parts.add(v instanceof byte[] b ? HexFormat.of().formatHex(b) : v);
        }
        return new Key(parts, key);
    }

    boolean isBlocked(TableDef t, Object[] key) {
        Set<Key> keys = blocked.get(t.name());
        return keys != null && keys.contains(comparable(key));
    }

    /** Records (or re-records with the newest reason) a downloaded row the remote refused. */
    void record(Connection c, TableDef t, Object[] key, String message) throws SQLException {
        clear(c, t, key);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_download_blocked (tbl, pk, error_code, error_message)"
                + " VALUES (?, " + dialect.keyTextSql(t) + ", ?, ?)")) {
            ps.setString(1, t.name());
            int next = dialect.bindKey(ps, 2, t, key);
            ps.setString(next, ErrorCode.ROW_DOWNLOAD_BLOCKED.name());
            ps.setString(next + 1, message);
            ps.executeUpdate();
        }
        blocked.computeIfAbsent(t.name(), k -> new HashSet<>()).add(comparable(key));
    }

    /** A version of the row applied (or the server deleted it): the block is healed. */
    void clear(Connection c, TableDef t, Object[] key) throws SQLException {
        if (!isBlocked(t, key)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_download_blocked WHERE tbl = ? AND pk = " + dialect.keyTextSql(t))) {
            ps.setString(1, t.name());
            dialect.bindKey(ps, 2, t, key);
            ps.executeUpdate();
        }
        blocked.get(t.name()).remove(comparable(key));
    }
}
