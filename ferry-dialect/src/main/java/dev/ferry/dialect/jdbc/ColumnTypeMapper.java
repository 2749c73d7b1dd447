package dev.ferry.dialect.jdbc;

import dev.ferry.core.schema.ColumnDef;

/**
 * Maps one native column to a Ferry column. Implementations throw {@link NativeColumn#unsupported}
 * for a type they cannot map exactly: a type is never approximated.
 */
@FunctionalInterface
public interface ColumnTypeMapper {
    ColumnDef map(NativeColumn column);
}
