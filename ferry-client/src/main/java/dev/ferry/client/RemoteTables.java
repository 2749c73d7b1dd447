package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The synchronized tables of a remote, rebuilt from {@code ferry_table} and {@code ferry_column}, parents first. */
final class RemoteTables {
    private final List<TableDef> ordered;
    private final Map<String, TableDef> byName = new LinkedHashMap<>();

    private RemoteTables(List<TableDef> ordered) {
        this.ordered = List.copyOf(ordered);
        for (TableDef t : ordered) {
            byName.put(t.name(), t);
        }
    }

    static RemoteTables load(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tbl FROM ferry_table ORDER BY position"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        List<TableDef> tables = new ArrayList<>();
        for (String name : names) {
            List<ColumnDef> cols = new ArrayList<>();
            TreeMap<Integer, String> keys = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT col, ferry_type, nullable, length, precision_, scale, key_position"
                    + " FROM ferry_column WHERE tbl = ? ORDER BY position")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cols.add(new ColumnDef(rs.getString(1), FerryType.valueOf(rs.getString(2)), rs.getInt(3) != 0,
                                intOrNull(rs, 4), intOrNull(rs, 5), intOrNull(rs, 6)));
                        Integer kp = intOrNull(rs, 7);
                        if (kp != null) {
                            keys.put(kp, rs.getString(1));
                        }
                    }
                }
            }
            tables.add(new TableDef(name, cols, new ArrayList<>(keys.values()), List.of()));
        }
        return new RemoteTables(tables);
    }

    private static Integer intOrNull(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    List<TableDef> tables() {
        return ordered;
    }

    List<String> names() {
        return ordered.stream().map(TableDef::name).toList();
    }

    TableDef table(String name) {
        TableDef t = byName.get(name);
        if (t == null) {
            throw new FerryException(ErrorCode.SCHEMA_MISMATCH, "the server sent table " + name + ", which this remote does not synchronize",
                    "re-create the remote with `ferry remote init`");
        }
        return t;
    }
}
