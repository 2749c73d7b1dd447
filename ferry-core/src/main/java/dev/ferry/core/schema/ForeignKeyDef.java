package dev.ferry.core.schema;

import java.util.List;

/** A foreign key from {@code columns} of the owning table to {@code referencedColumns} of {@code referencedTable}. */
public record ForeignKeyDef(String name, List<String> columns, String referencedTable, List<String> referencedColumns) {
    public ForeignKeyDef {
        columns = List.copyOf(columns);
        referencedColumns = List.copyOf(referencedColumns);
    }
}
