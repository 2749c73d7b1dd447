package dev.ferry.dialect.jdbc;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

/**
 * A column as {@link java.sql.DatabaseMetaData#getColumns} describes it, before it is mapped to a
 * Ferry type.
 *
 * @param table         the table name as stored
 * @param name          the column name as stored
 * @param typeName      the driver's TYPE_NAME (database-specific spelling)
 * @param jdbcType      the driver's DATA_TYPE ({@link java.sql.Types})
 * @param size          COLUMN_SIZE, or null
 * @param decimalDigits DECIMAL_DIGITS (for temporal types: fractional-second digits), or null
 * @param nullable      false only when the database guarantees NOT NULL
 * @param inPrimaryKey  whether the column is part of the table's primary key, where the database's
 *                      way of comparing values decides which rows are the same row
 */
public record NativeColumn(String table, String name, String typeName, int jdbcType, Integer size,
                           Integer decimalDigits, boolean nullable, boolean inPrimaryKey) {

    /** The error every mapper raises for a type Ferry cannot synchronize; {@code nativeType} as the user wrote it. */
    public FerryException unsupported(String nativeType) {
        return new FerryException(ErrorCode.SCHEMA_UNSUPPORTED_TYPE,
                "table " + table + " column " + name + " has type " + nativeType + ", which Ferry cannot synchronize",
                "leave the column out (sync.tables." + table + ".excludeColumns: " + name + "), change its type, or leave table " + table
                        + " out of the synchronized tables");
    }

    /**
     * The error every mapper raises for a key column whose collation makes different texts equal:
     * remotes (SQLite, H2) compare keys code point by code point, so two remote rows could be one
     * database row, and a rename that changes only case would delete the row (issue 10, defect 6).
     * {@code fix} is the statement or step that gives the column an exact collation.
     */
    public FerryException inexactKeyCollation(String collation, String fix) {
        return new FerryException(ErrorCode.SCHEMA_KEY_COLLATION,
                "table " + table + " key column " + name + " has collation " + collation
                        + ", under which keys that differ in case or accents are the same key; remotes compare keys exactly,"
                        + " so Ferry cannot keep such rows apart",
                fix + ", or leave table " + table + " out of the synchronized tables");
    }
}
