package dev.ferry.dialect.jdbc;

import java.util.Set;

/**
 * Which tables of the metadata are the user's tables to synchronize: the table types that count
 * (upper case, as {@link java.sql.DatabaseMetaData#getTables} reports them), and a query for the tables
 * that are only parts of another (PostgreSQL's partitions, which synchronize through their partitioned
 * parent and never on their own).
 *
 * @param types    table types that are user tables
 * @param partsSql a query returning, in its first column, the names in the connection's current schema
 *                 to leave out, or null when there are none
 */
public record TableListing(Set<String> types, String partsSql) {
    /** Plain tables, nothing left out. */
    public static final TableListing PLAIN = new TableListing(Set.of("TABLE", "BASE TABLE"), null);

    public TableListing {
        types = Set.copyOf(types);
    }
}
