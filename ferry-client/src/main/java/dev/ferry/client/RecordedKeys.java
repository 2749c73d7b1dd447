package dev.ferry.client;

import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of a remote table of row records ({@code tbl}, {@code pk}, ...), read once per download so
 * that each downloaded row is checked in memory rather than by a query; keys compare by value
 * ({@link RowKey}). Writes go to the table and to the set together, in the caller's transaction.
 */
final class RecordedKeys {
    private final String table;
    private final RemoteDialect dialect;
    private final Map<String, Map<RowKey, Object[]>> keys = new HashMap<>();

    private RecordedKeys(String table, RemoteDialect dialect) {
        this.table = table;
        this.dialect = dialect;
    }

    /** {@code table} is one of Ferry's own remote tables, never user input. */
    static RecordedKeys load(Connection c, RemoteDialect dialect, RemoteTables tables, String table) throws SQLException {
        RecordedKeys r = new RecordedKeys(table, dialect);
        try (PreparedStatement ps = c.prepareStatement("SELECT tbl, pk FROM " + table); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                TableDef t = tables.find(rs.getString(1));
                if (t != null) {
                    r.added(t, ImageJson.key(t, rs.getString(2)));
                }
            }
        }
        return r;
    }

    boolean contains(TableDef t, Object[] key) {
        Map<RowKey, Object[]> set = keys.get(t.name());
        return set != null && set.containsKey(RowKey.of(key));
    }

    /** The caller inserted the record of this key. */
    void added(TableDef t, Object[] key) {
        keys.computeIfAbsent(t.name(), k -> new HashMap<>()).put(RowKey.of(key), key);
    }

    /** Deletes the record of this key, if there is one. */
    void remove(Connection c, TableDef t, Object[] key) throws SQLException {
        if (!contains(t, key)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE tbl = ? AND pk = " + dialect.keyTextSql(t))) {
            ps.setString(1, t.name());
            dialect.bindKey(ps, 2, t, key);
            ps.executeUpdate();
        }
        keys.get(t.name()).remove(RowKey.of(key));
    }

    /** Every recorded key, per table. */
    Map<TableDef, List<Object[]>> byTable(RemoteTables tables) {
        Map<TableDef, List<Object[]>> out = new HashMap<>();
        keys.forEach((name, set) -> {
            if (!set.isEmpty()) {
                out.put(tables.table(name), new ArrayList<>(set.values()));
            }
        });
        return out;
    }
}
