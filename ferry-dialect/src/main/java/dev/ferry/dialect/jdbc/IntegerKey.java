package dev.ferry.dialect.jdbc;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;

/**
 * The one integer key column a table needs for key ranges, with the largest value its type holds:
 * a block must fit in the column, or the remote's inserts would fail where the server's never do.
 */
public record IntegerKey(ColumnDef column, long maxValue) {

    public static IntegerKey of(TableDef table) {
        if (table.keyColumns().size() != 1 || !table.keyColumns().get(0).type().isInteger()) {
            throw new FerryException(ErrorCode.KEY_RANGE_UNAVAILABLE, "table " + table.name() + " cannot take key ranges: its key "
                    + table.keyColumns().stream().map(c -> c.name() + " " + c.type()).toList() + " is not one integer column",
                    "take it out of sync.keyRanges.tables; give such a table UUID keys created on the remote (docs/SCHEMAS.md)");
        }
        ColumnDef key = table.keyColumns().get(0);
        long max = switch (key.type()) {
            case SMALLINT -> Short.MAX_VALUE;
            case INTEGER -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
        return new IntegerKey(key, max);
    }

    /** The last key of a block of {@code size} starting at {@code first}, refused when the column's type cannot hold it. */
    public long lastOfBlock(TableDef table, long first, long size) {
        if (first < 1 || size < 1 || first > maxValue - (size - 1)) {
            throw new FerryException(ErrorCode.KEY_RANGE_UNAVAILABLE, "table " + table.name() + " has no room for " + size + " more keys after "
                    + (first - 1) + ": its key " + column.name() + " is " + column.type() + " (largest value " + maxValue + ")",
                    "widen the key column to BIGINT, or lower sync.keyRanges.size");
        }
        return first + size - 1;
    }
}
