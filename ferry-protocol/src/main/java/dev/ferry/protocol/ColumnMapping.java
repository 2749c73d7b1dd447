package dev.ferry.protocol;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
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

    /** The local column position of the i-th declared column. */
    int local(int declaredPosition) {
        return localIndex[declaredPosition];
    }
}
