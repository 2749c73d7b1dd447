package dev.ferry.client;

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
 * The keys of a remote table of row records ({@code tbl}, {@code pk}, ...), read once per download so
 * that each downloaded row is checked in memory rather than by a query; keys compare by value (binary
 * key values by content). Writes go to the table and to the set together, in the caller's transaction.
 */
final class RecordedKeys {
    private final String table;
    private final RemoteDialect dialect;
    private final Map<String, Set<Key>> keys = new HashMap<>();

    private RecordedKeys(String table, RemoteDialect dialect) {
        this.table = table;
        this.dialect = dialect;
    }

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

    private static Key comparable(Object[] key) {
        List<Object> parts = new ArrayList<>(key.length);
        for (Object v : key) {
            parts.add(v instanceof byte[] b ? HexFormat.of().formatHex(b) : v);
        }
        return new Key(parts, key);
    }

    boolean contains(TableDef t, Object[] key) {
        Set<Key> set = keys.get(t.name());
        return set != null && set.contains(comparable(key));
    }

    /** The caller inserted the record of this key. */
    void added(TableDef t, Object[] key) {
        keys.computeIfAbsent(t.name(), k -> new HashSet<>()).add(comparable(key));
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
        keys.get(t.name()).remove(comparable(key));
    }

    /** Every recorded key, per table. */
    Map<TableDef, List<Object[]>> byTable(RemoteTables tables) {
        Map<TableDef, List<Object[]>> out = new HashMap<>();
        keys.forEach((name, set) -> {
            if (!set.isEmpty()) {
                List<Object[]> list = new ArrayList<>();
                set.forEach(k -> list.add(k.key()));
                out.put(tables.table(name), list);
            }
        });
        return out;
    }
}
