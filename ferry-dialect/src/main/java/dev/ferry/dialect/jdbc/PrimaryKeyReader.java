package dev.ferry.dialect.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads a table's primary-key columns. {@link JdbcSchemaReader} uses {@link java.sql.DatabaseMetaData#getPrimaryKeys}
 * unless a dialect knows its catalog better: pgjdbc up to 42.7.4 reported a PostgreSQL key's
 * {@code INCLUDE} columns as key columns (issue 10, defect 13), so the PostgreSQL dialect reads
 * {@code pg_index} itself.
 */
@FunctionalInterface
public interface PrimaryKeyReader {
    /**
     * The key columns of {@code table} (its name as stored) in the connection's current schema, in key
     * order; empty when the table has no primary key.
     */
    List<String> read(Connection c, String table) throws SQLException;
}
