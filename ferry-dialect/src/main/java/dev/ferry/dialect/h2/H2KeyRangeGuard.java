package dev.ferry.dialect.h2;

import dev.ferry.dialect.remote.SqlText;
import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * BEFORE INSERT on an H2 remote table with key ranges ({@code "ferry_key_guard_<server name>"}, created
 * with the table's first range: docs/SCHEMAS.md "Keys created offline"): refuses an application's new
 * row whose key is in none of this remote's ranges, which is the collision with the server's keys that
 * ranges exist to prevent, loud at the insert instead of a replaced row at the next sync. The key
 * column's default (the range's sequence) is already in the row, so an INSERT that leaves the key out
 * passes. Ferry's own writes ({@code ferry_state.applying = 1}) and a key the table already has pass.
 * Like the capture trigger, it needs {@code ferry-dialect} on the class path of every JVM that opens the file.
 */
public final class H2KeyRangeGuard implements Trigger {
    static final String PREFIX = "ferry_key_guard_";
    private volatile String serverTable;
    private volatile String localTable;
    private volatile String localKey;
    private volatile int keyAt = -1;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        this.serverTable = triggerName.startsWith(PREFIX) ? triggerName.substring(PREFIX.length()) : tableName;
        this.localTable = tableName;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        if (newRow == null || H2PendingRows.applying(conn)) {
            return;
        }
        if (keyAt < 0) {
            locateKey(conn);
        }
        Object key = newRow[keyAt];
        if (key instanceof Number n && (inRanges(conn, n.longValue()) || exists(conn, n.longValue()))) {
            return;
        }
        throw new SQLException("ferry: key " + key + " of a new row of " + serverTable + " is in none of this remote's key ranges:"
                + " leave the key out (its default takes the next key of the range) or take one with RemoteDatabase.nextKey", "23514");
    }

    private void locateKey(Connection conn) throws SQLException {
        H2RemoteNames names = H2RemoteNames.read(conn);
        String serverKey;
        try (PreparedStatement ps = conn.prepareStatement("SELECT col FROM ferry_column WHERE tbl = ? AND key_position = 0")) {
            ps.setString(1, serverTable);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("table " + localTable + " has a Ferry key-range trigger but ferry_column has no key for " + serverTable);
                }
                serverKey = rs.getString(1);
            }
        }
        String local = names.local(serverKey);
        try (PreparedStatement ps = conn.prepareStatement("SELECT ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            ps.setString(1, localTable);
            ps.setString(2, local);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("table " + localTable + " has no key column " + local);
                }
                localKey = local;
                keyAt = rs.getInt(1) - 1;
            }
        }
    }

    private boolean inRanges(Connection conn, long key) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM ferry_key_range WHERE tbl = ? AND ? BETWEEN range_first AND range_last")) {
            ps.setString(1, serverTable);
            ps.setLong(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private boolean exists(Connection conn, long key) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM " + SqlText.identifier(localTable, 0)
                + " WHERE " + SqlText.identifier(localKey, 0) + " = ?")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
