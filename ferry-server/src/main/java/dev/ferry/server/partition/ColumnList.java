package dev.ferry.server.partition;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A publication's column list for one table checked against the consolidated database
 * (docs/PARTITIONS.md, "Column lists"): every name is a column of the table (exact, else the one
 * equal ignoring case, as table names), the primary key is published, and a table remotes may write
 * to has no NOT NULL column without a default left out (an insert from a remote could never succeed).
 * Failures are {@code CONFIG_INVALID} naming publication, table and column.
 */
final class ColumnList {
    private ColumnList() {
    }

    /** The published columns under their names in the database. */
    static Set<String> resolve(Connection c, String where, TableDef def, List<String> configured,
                               boolean uploads) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        for (String name : configured) {
            out.add(column(where, def, name));
        }
        for (String key : def.primaryKey()) {
            if (!out.contains(key)) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, where + ".columns leaves out primary key column " + key + " of " + def.name(),
                        "a published table always carries its primary key: add " + key + " to the list");
            }
        }
        if (uploads) {
            Set<String> needed = requiredOnInsert(c, def);
            for (ColumnDef col : def.columns()) {
                if (!out.contains(col.name()) && needed.contains(col.name()) && !def.filledByDatabase(col)) {
                    throw new FerryException(ErrorCode.CONFIG_INVALID, where + ".columns leaves out column " + col.name() + " of " + def.name()
                            + ", which is NOT NULL without a default: no insert from a remote could succeed",
                            "publish " + col.name() + ", give it a default, or make the table download-only in this publication");
                }
            }
        }
        return out;
    }

    private static String column(String where, TableDef def, String name) {
        if (def.columnIndex(name) >= 0) {
            return def.columns().get(def.columnIndex(name)).name();
        }
        List<ColumnDef> loose = def.columns().stream().filter(col -> col.name().equalsIgnoreCase(name)).toList();
        if (loose.size() == 1) {
            return loose.get(0).name();
        }
        throw new FerryException(ErrorCode.CONFIG_INVALID, where + ".columns names " + name + ", which is not "
                + (loose.isEmpty() ? "a column" : "exactly one column") + " of " + def.name(),
                "the columns of " + def.name() + " are " + def.columns().stream().map(ColumnDef::name).toList());
    }

    /** Columns an insert must name: NOT NULL, no default, not filled by the database (identity, auto-increment, generated). */
    private static Set<String> requiredOnInsert(Connection c, TableDef def) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Set<String> out = new HashSet<>();
        boolean found = false;
        for (String schema : new String[] {c.getSchema(), null}) {
            try (ResultSet rs = md.getColumns(c.getCatalog(), schema, def.name(), null)) {
                while (rs.next()) {
                    found = true;
                    boolean notNull = rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls;
                    String defaultValue = rs.getString("COLUMN_DEF");
                    boolean filled = "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"))
                            || "YES".equalsIgnoreCase(rs.getString("IS_GENERATEDCOLUMN"));
                    if (notNull && (defaultValue == null || defaultValue.isBlank() || "NULL".equalsIgnoreCase(defaultValue.trim())) && !filled) {
                        out.add(rs.getString("COLUMN_NAME"));
                    }
                }
            }
            if (found) {
                return out;
            }
        }
        return out;
    }
}
