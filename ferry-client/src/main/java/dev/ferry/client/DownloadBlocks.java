package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

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
    private final RecordedKeys blocked;

    private DownloadBlocks(RemoteDialect dialect, RecordedKeys blocked) {
        this.dialect = dialect;
        this.blocked = blocked;
    }

    /** The blocked keys as they stand now. */
    static DownloadBlocks load(Connection c, RemoteDialect dialect, RemoteTables tables) throws SQLException {
        return new DownloadBlocks(dialect, RecordedKeys.load(c, dialect, tables, "ferry_download_blocked"));
    }

    /** Every blocked key, per table: the sync asks the server for their current versions. */
    Map<TableDef, List<Object[]>> keys(RemoteTables tables) {
        return blocked.byTable(tables);
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
        blocked.added(t, key);
    }

    /** A version of the row applied (or the server deleted it): the block is healed. */
    void clear(Connection c, TableDef t, Object[] key) throws SQLException {
        blocked.remove(c, t, key);
    }
}
