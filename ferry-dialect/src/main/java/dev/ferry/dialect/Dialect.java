package dev.ferry.dialect;

import dev.ferry.core.schema.ColumnDef;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What every database Ferry talks to must render or decide differently. Implementations are
 * stateless and thread-safe.
 */
public interface Dialect {
    /** Short lower-case name: postgresql, mariadb, h2, sqlite. */
    String name();

    /**
     * Validates an identifier that reached us from metadata, configuration or the wire and returns
     * it quoted for this database. Rejects empty names, names containing NUL, and names longer than
     * the database allows, with {@code CONFIG_INVALID} naming the identifier.
     */
    String quote(String identifier);

    /** The native column type used when Ferry creates a column of this definition (shadow keys, remote tables). */
    String nativeType(ColumnDef column);

    /** The SQL placeholder for a value of this column: {@code ?}, or e.g. {@code CAST(? AS jsonb)}. */
    String placeholder(ColumnDef column);

    /** Binds a canonical value (see {@link dev.ferry.core.value.Values}); null binds SQL NULL. */
    void bind(PreparedStatement ps, int index, ColumnDef column, Object canonical) throws SQLException;

    /** Reads a column as its canonical value. */
    Object read(ResultSet rs, int index, ColumnDef column) throws SQLException;

    /** Classifies a failure by SQLState and vendor code, never by message text. */
    SqlFailure classify(SQLException e);
}
