package dev.ferry.server.upload;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;

import java.math.BigDecimal;

/**
 * Checks an uploaded row against its column definitions before it reaches the database, so values a
 * database would silently round or truncate (19.999 into numeric(12,2)) are rejected with a reason
 * instead of changed.
 */
final class ValueChecks {
    private ValueChecks() {
    }

    static void check(TableDef table, Object[] row) {
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            ColumnDef c = table.columns().get(i);
            if (table.filledByDatabase(c)) {
                // Never written: whatever the remote holds there is ignored (issue 10, defect 11).
                continue;
            }
            if (v == null) {
                if (!c.nullable()) {
                    throw new FerryException(ErrorCode.ROW_NOT_NULL_VIOLATION, "column " + c.name() + " of " + table.name() + " cannot be null");
                }
                continue;
            }
            switch (c.type()) {
                case SMALLINT -> range(table, c, (Long) v, Short.MIN_VALUE, Short.MAX_VALUE);
                case INTEGER -> range(table, c, (Long) v, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case DECIMAL -> decimal(table, c, (BigDecimal) v);
                case TEXT -> {
                    String s = (String) v;
                    if (c.length() != null && s.codePointCount(0, s.length()) > c.length()) {
                        throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value of " + table.name() + "." + c.name() + " is "
                                + s.codePointCount(0, s.length()) + " characters long; the column holds at most " + c.length());
                    }
                }
                default -> {
                }
            }
        }
    }

    private static void range(TableDef t, ColumnDef c, long v, long min, long max) {
        if (v < min || v > max) {
            throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value " + v + " is out of range for " + t.name() + "." + c.name()
                    + " (" + c.type() + ": " + min + " to " + max + ")");
        }
    }

    private static void decimal(TableDef t, ColumnDef c, BigDecimal v) {
        if (c.scale() != null && v.stripTrailingZeros().scale() > c.scale()) {
            throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value " + v.toPlainString() + " has more than " + c.scale()
                    + " decimal places for " + t.name() + "." + c.name() + " (" + c.typeLabel() + ")");
        }
        if (c.precision() != null) {
            int scale = c.scale() == null ? 0 : c.scale();
            int integerDigits = v.precision() - v.scale();
            if (integerDigits > c.precision() - scale) {
                throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value " + v.toPlainString() + " is too large for "
                        + t.name() + "." + c.name() + " (" + c.typeLabel() + ")");
            }
        }
    }
}
