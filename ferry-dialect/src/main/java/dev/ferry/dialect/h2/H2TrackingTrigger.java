package dev.ferry.dialect.h2;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import dev.ferry.dialect.remote.RemoteCatalog;
import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The row trigger {@link H2RemoteDialect#installTracking} puts on every synchronized H2 table
 * ({@code ferry_trk_<n>_iud}, AFTER INSERT, UPDATE, DELETE, FOR EACH ROW). It records each write
 * in {@code ferry_pending} following docs/STATE-TABLES.md ("Tracking triggers"), unless the writing
 * session sees {@code ferry_state.applying = 1}: the check runs on the trigger's own connection, so a
 * download's uncommitted {@code applying = 1} suppresses tracking for the downloading session only.
 *
 * <p>The table's columns and key come from {@code ferry_column}, read in {@link #init}; should that
 * fail (e.g. while H2 is still opening the database) they are read on the first write instead. H2
 * names the table as this database does ({@code CUSTOMER}), the catalog as the server does
 * ({@code customer}): the table is the catalog's one this remote's {@link H2RemoteNames} call so. One
 * instance serves all sessions; it holds only immutable state.
 */
public final class H2TrackingTrigger implements Trigger {
    private volatile String tableName;
    private volatile TableDef table;
    /**
     * Where each catalog column is in the rows H2 hands the trigger (its own column order). They differ
     * after a schema upgrade: a column the server added in the middle is added here at the end, and a
     * column the database would not drop stays (docs/SCHEMAS.md, "Schema changes").
     */
    private volatile int[] positions;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        this.tableName = tableName;
        try {
            TableDef t = catalogTable(conn, tableName);
            this.positions = t == null ? null : positions(conn, t);
            this.table = t;
        } catch (SQLException | RuntimeException e) {
            // Loaded lazily by fire(): at database open the catalog may not be readable yet.
            this.table = null;
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        try {
            if (H2PendingRows.applying(conn)) {
                return;
            }
            TableDef t = table(conn);
            String name = t.name();
            if (oldRow == null) {
                H2PendingRows.inserted(conn, name, keyText(t, canonical(t, newRow)));
                return;
            }
            Object[] old = canonical(t, oldRow);
            String oldKey = keyText(t, old);
            String oldImage = H2RowJson.image(t.columns(), old);
            if (newRow == null) {
                H2PendingRows.deleted(conn, name, oldKey, oldImage);
                return;
            }
            String newKey = keyText(t, canonical(t, newRow));
            if (newKey.equals(oldKey)) {
                H2PendingRows.updated(conn, name, oldKey, oldImage);
            } else {
                H2PendingRows.deleted(conn, name, oldKey, oldImage);
                H2PendingRows.inserted(conn, name, newKey);
            }
        } catch (RuntimeException e) {
            throw new SQLException("Ferry could not track a write to " + tableName + ": " + e.getMessage(), e);
        }
    }

    private TableDef table(Connection conn) throws SQLException {
        TableDef t = table;
        if (t == null) {
            t = catalogTable(conn, tableName);
            if (t == null) {
                throw new SQLException("table " + tableName + " has a Ferry tracking trigger but no rows in ferry_column;"
                        + " install tracking again");
            }
            positions = positions(conn, t);
            table = t;
        }
        return t;
    }

    /** The synchronized table whose local name is {@code localName}, or null when the catalog has none. */
    private static TableDef catalogTable(Connection conn, String localName) throws SQLException {
        H2RemoteNames names = H2RemoteNames.read(conn);
        for (TableDef t : RemoteCatalog.readTables(conn)) {
            if (names.local(t.name()).equals(localName)) {
                return t;
            }
        }
        return null;
    }

    private Object[] canonical(TableDef t, Object[] row) {
        List<ColumnDef> columns = t.columns();
        int[] at = positions;
        Object[] out = new Object[columns.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Values.canonical(columns.get(i).type(), row[at[i]]);
        }
        return out;
    }

    /** The position, in the local table's own column order, of each of {@code t}'s catalog columns. */
    private int[] positions(Connection conn, TableDef t) throws SQLException {
        H2RemoteNames names = H2RemoteNames.read(conn);
        java.util.Map<String, Integer> physical = new java.util.HashMap<>();
        try (java.sql.PreparedStatement ps = conn.prepareStatement("SELECT COLUMN_NAME, ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = ?")) {
            ps.setString(1, tableName);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    physical.put(rs.getString(1), rs.getInt(2) - 1);
                }
            }
        }
        int[] at = new int[t.columns().size()];
        for (int i = 0; i < at.length; i++) {
            Integer p = physical.get(names.local(t.columns().get(i).name()));
            if (p == null) {
                throw new SQLException("table " + tableName + " has no column " + t.columns().get(i).name() + " that ferry_column lists; install tracking again");
            }
            at[i] = p;
        }
        return at;
    }

    private static String keyText(TableDef t, Object[] canonicalRow) {
        return H2RowJson.keyText(t.keyColumns(), t.keyOf(canonicalRow));
    }
}
