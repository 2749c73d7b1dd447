package dev.ferry.protocol;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;

import java.util.HashSet;
import java.util.List;

/**
 * Maps the column order a peer declared for a table onto the local {@link TableDef}'s order. Both
 * sides must synchronize exactly the same columns; anything else is a schema mismatch named in full.
 */
final class ColumnMapping {
    private final TableDef table;
    private final int[] localIndex;

    private ColumnMapping(TableDef table, int[] localIndex) {
        this.table = table;
        this.localIndex = localIndex;
    }

    /**
     * The mapping of an upload's columns, which may be fewer than the table's (a row changed under an
     * older schema: the missing ones are {@link Absent}) and, from a remote on an older schema
     * ({@code olderSchema}), may name columns the table no longer has (dropped on the server since: their
     * values are skipped); it must carry every key column.
     */
    static ColumnMapping ofUpload(TableDef table, List<String> declared, boolean olderSchema) {
        if (new HashSet<>(declared).size() != declared.size()) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "upload table " + table.name() + " declares a column twice: " + declared);
        }
        int[] idx = new int[declared.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = table.columnIndex(declared.get(i));
            if (idx[i] < 0 && !olderSchema) {
                throw new FerryException(ErrorCode.SCHEMA_MISMATCH,
                        "table " + table.name() + " has no column " + declared.get(i) + " here but the peer sends it",
                        "sync the remote again: it upgrades to the server's schema (docs/SCHEMAS.md, \"Schema changes\")");
            }
        }
        for (ColumnDef k : table.keyColumns()) {
            if (!declared.contains(k.name())) {
                throw new FerryException(ErrorCode.SCHEMA_MISMATCH, "upload table " + table.name() + " lacks key column " + k.name(),
                        "sync the remote again: it upgrades to the server's schema (docs/SCHEMAS.md, \"Schema changes\")");
            }
        }
        return new ColumnMapping(table, idx);
    }

    /** True when some of the table's columns are not declared: their values are {@link Absent}. */
    boolean partial() {
        long known = java.util.Arrays.stream(localIndex).filter(i -> i >= 0).count();
        return known < table.columns().size();
    }

    static ColumnMapping of(TableDef table, List<String> declared) {
        int[] idx = new int[declared.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = table.columnIndex(declared.get(i));
            if (idx[i] < 0) {
                throw new FerryException(ErrorCode.SCHEMA_MISMATCH,
                        "table " + table.name() + " has no column " + declared.get(i) + " here but the peer sends it",
                        "re-create the remote with `ferry remote init` after a schema change");
            }
        }
        if (new HashSet<>(declared).size() != table.columns().size() || declared.size() != table.columns().size()) {
            throw new FerryException(ErrorCode.SCHEMA_MISMATCH,
                    "table " + table.name() + " columns differ: peer has " + declared + ", here "
                            + table.columns().stream().map(c -> c.name()).toList(),
                    "re-create the remote with `ferry remote init` after a schema change");
        }
        return new ColumnMapping(table, idx);
    }

    TableDef table() {
        return table;
    }

    int size() {
        return localIndex.length;
    }

    /** The local column position of the i-th declared column, -1 for a column the table does not have. */
    int local(int declaredPosition) {
        return localIndex[declaredPosition];
    }
}
