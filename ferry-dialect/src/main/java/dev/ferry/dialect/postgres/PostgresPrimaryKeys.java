package dev.ferry.dialect.postgres;

import dev.ferry.dialect.jdbc.PrimaryKeyReader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's primary key read from {@code pg_index}: only its first {@code indnkeyatts} columns are key
 * columns; the rest of {@code indkey} are {@code INCLUDE} columns, stored in the index but not part
 * of the key. pgjdbc 42.7.4 reported those as key columns, so the remotes got a wider key and their
 * foreign keys to the table broke (issue 10, defect 13); reading the catalog makes Ferry independent
 * of that driver behaviour. Needs PostgreSQL 11 or later ({@code indnkeyatts}). Stateless.
 */
final class PostgresPrimaryKeys implements PrimaryKeyReader {
    private static final String SQL = "SELECT a.attname FROM pg_index i"
            + " JOIN pg_class t ON t.oid = i.indrelid"
            + " JOIN pg_namespace n ON n.oid = t.relnamespace"
            + " CROSS JOIN LATERAL generate_series(0, i.indnkeyatts - 1) AS k(pos)"
            + " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[k.pos]"
            + " WHERE i.indisprimary AND n.nspname = current_schema() AND t.relname = ?"
            + " ORDER BY k.pos";

    @Override
    public List<String> read(Connection c, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }
}
