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
 * @param decimalDigits DECIMAL_DIGITS, or null
 * @param nullable      false only when the database guarantees NOT NULL
 */
public record NativeColumn(String table, String name, String typeName, int jdbcType, Integer size,
                           Integer decimalDigits, boolean nullable) {

    /** The error every mapper raises for a type Ferry cannot synchronize; {@code nativeType} as the user wrote it. */
    public FerryException unsupported(String nativeType) {
        return new FerryException(ErrorCode.SCHEMA_UNSUPPORTED_TYPE,
                "table " + table + " column " + name + " has type " + nativeType + ", which Ferry cannot synchronize",
                "change the column type, drop the column, or leave table " + table + " out of the synchronized tables");
    }
}
