package dev.ferry.dialect.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The UNIQUE indexes of a table other than its primary key, as SQLite's catalog lists them: those an
 * application added with {@code CREATE UNIQUE INDEX} (Ferry creates tables with a primary key only).
 * The tracking triggers need them because {@code INSERT OR REPLACE} and {@code UPDATE OR REPLACE}
 * silently delete the rows that conflict on any of them (issue 10, defect 3).
 *
 * <p>An index on an expression cannot be compared column by column and is left out; see
 * docs/STATE-TABLES.md. A partial index is included without its WHERE clause: a row it would not have
 * conflicted with is captured for nothing and found still present afterwards.
 */
final class SqliteUniqueIndexes {
    /** A column of an index and the collation the index compares it with. */
    record IndexColumn(String column, String collation) {
    }

    /** One UNIQUE index: its name and key columns in index order. */
    record UniqueIndex(String name, List<IndexColumn> columns) {
        UniqueIndex {
            columns = List.copyOf(columns);
        }
    }

    private SqliteUniqueIndexes() {
    }

    /** The table's column-only UNIQUE indexes except the primary key, by name. */
    static List<UniqueIndex> of(Connection c, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_list(?) WHERE \"unique\" = 1 AND origin <> 'pk'"
                + " ORDER BY name")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        List<UniqueIndex> out = new ArrayList<>();
        for (String name : names) {
            List<IndexColumn> columns = columns(c, name);
            if (columns != null) {
                out.add(new UniqueIndex(name, columns));
            }
        }
        return out;
    }

    /** The key columns of an index, or null when one of them is an expression. */
    private static List<IndexColumn> columns(Connection c, String index) throws SQLException {
        List<IndexColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT cid, name, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno")) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(1) < 0) {
                        return null;
                    }
                    columns.add(new IndexColumn(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return columns;
    }
}
