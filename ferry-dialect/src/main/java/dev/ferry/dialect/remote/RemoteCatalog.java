package dev.ferry.dialect.remote;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The synchronized tables as a remote records them, because a remote's own column types are lossy
 * (SQLite stores a DECIMAL as TEXT): {@code ferry_table(tbl, position)} with position = index in
 * {@link SyncSchema#tables()} (parents first), and {@code ferry_column(tbl, col, position, ferry_type,
 * nullable, length, precision_, scale, key_position)} with position = 0-based index in the table's
 * columns, {@code ferry_type} = the {@link FerryType} name, {@code nullable} = 0/1 and
 * {@code key_position} = 0-based index in the primary key or NULL. Both dialects use the same column
 * names and plain SQL, so this class serves both. Foreign keys are not recorded: the table order
 * already says how to apply rows, and the remote database enforces the constraints itself.
 */
public final class RemoteCatalog {
    private RemoteCatalog() {
    }

    /** Replaces the contents of {@code ferry_table} and {@code ferry_column} with {@code schema}. */
    public static void write(Connection c, SyncSchema schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM ferry_column");
            s.executeUpdate("DELETE FROM ferry_table");
        }
        try (PreparedStatement t = c.prepareStatement("INSERT INTO ferry_table (tbl, position) VALUES (?, ?)");
             PreparedStatement col = c.prepareStatement("INSERT INTO ferry_column (tbl, col, position, ferry_type,"
                     + " nullable, length, precision_, scale, key_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            List<TableDef> tables = schema.tables();
            for (int ti = 0; ti < tables.size(); ti++) {
                TableDef table = tables.get(ti);
                t.setString(1, table.name());
                t.setInt(2, ti);
                t.executeUpdate();
                for (int ci = 0; ci < table.columns().size(); ci++) {
                    ColumnDef cd = table.columns().get(ci);
                    int keyPos = table.primaryKey().indexOf(cd.name());
                    col.setString(1, table.name());
                    col.setString(2, cd.name());
                    col.setInt(3, ci);
                    col.setString(4, cd.type().name());
                    col.setInt(5, cd.nullable() ? 1 : 0);
                    setInt(col, 6, cd.length());
                    setInt(col, 7, cd.precision());
                    setInt(col, 8, cd.scale());
                    setInt(col, 9, keyPos < 0 ? null : keyPos);
                    col.executeUpdate();
                }
            }
        }
    }

    /** All synchronized tables in {@code ferry_table.position} order, without foreign keys. */
    public static List<TableDef> readTables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT tbl FROM ferry_table ORDER BY position")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        Map<String, TableDef> byName = readColumns(c);
        List<TableDef> out = new ArrayList<>();
        for (String n : names) {
            TableDef t = byName.get(n);
            if (t == null) {
                throw new FerryException(ErrorCode.SCHEMA_MISMATCH, "ferry_table lists " + n + " but ferry_column has no columns for it");
            }
            out.add(t);
        }
        return out;
    }

    private static Map<String, TableDef> readColumns(Connection c) throws SQLException {
        String sql = "SELECT tbl, col, ferry_type, nullable, length, precision_, scale, key_position FROM ferry_column"
                + " ORDER BY tbl, position";
        Map<String, List<ColumnDef>> columns = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, String>> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String tbl = rs.getString(1);
                    String col = rs.getString(2);
                    FerryType type = FerryType.valueOf(rs.getString(3));
                    boolean nullable = rs.getInt(4) != 0;
                    columns.computeIfAbsent(tbl, k -> new ArrayList<>())
                            .add(new ColumnDef(col, type, nullable, getInt(rs, 5), getInt(rs, 6), getInt(rs, 7)));
                    Integer keyPos = getInt(rs, 8);
                    if (keyPos != null) {
                        keys.computeIfAbsent(tbl, k -> new TreeMap<>()).put(keyPos, col);
                    }
                }
            }
        }
        Map<String, TableDef> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<ColumnDef>> e : columns.entrySet()) {
            TreeMap<Integer, String> key = keys.getOrDefault(e.getKey(), new TreeMap<>());
            out.put(e.getKey(), new TableDef(e.getKey(), e.getValue(), new ArrayList<>(key.values()), List.of()));
        }
        return out;
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static Integer getInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }
}
