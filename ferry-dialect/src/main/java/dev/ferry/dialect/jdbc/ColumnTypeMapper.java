package dev.ferry.dialect.jdbc;

import dev.ferry.core.schema.ColumnDef;

/**
 * Maps one native column to a Ferry column. Implementations throw {@link NativeColumn#unsupported}
 * for a type they cannot map exactly (a type is never approximated), and
 * {@link NativeColumn#inexactKeyCollation} for a key column whose collation makes different texts the
 * same key. They mark {@linkplain ColumnDef#padded() padded} the text columns whose trailing spaces
 * the database does not count.
 */
@FunctionalInterface
public interface ColumnTypeMapper {
    ColumnDef map(NativeColumn column);
}
