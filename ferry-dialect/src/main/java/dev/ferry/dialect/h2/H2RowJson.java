package dev.ferry.dialect.h2;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.value.Values;
import dev.ferry.dialect.remote.JsonText;

import java.math.BigDecimal;
import java.util.List;

/**
 * The {@code ferry_pending} texts of an H2 row, written in Java because H2 triggers are Java. Input
 * values are canonical ({@link Values#canonical}).
 *
 * <ul>
 *   <li>Key text: a JSON array of the key values; integers as numbers, DECIMAL as a string of the
 *       plain number without trailing zeros (H2 compares keys by number, 19.9 = 19.90, and DECFLOAT
 *       drops trailing zeros anyway), every other type as a string of its canonical text.</li>
 *   <li>Image: a JSON object {@code {"col": value}} of all columns in table order: integers and
 *       reals as JSON numbers ({@code Long}/{@code Float}/{@code Double#toString}, an infinity as
 *       {@code 9e999}/{@code -9e999}, NaN as the string {@code "NaN"}), booleans as {@code true/false},
 *       binary as a lower-case hex string, DECIMAL as its plain string with scale kept, everything
 *       else as a string of its canonical text.</li>
 * </ul>
 * Strings are escaped exactly like SQLite's JSON functions ({@link JsonText}). Stateless.
 */
final class H2RowJson {
    private H2RowJson() {
    }

    static String keyText(List<ColumnDef> keyColumns, Object[] key) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < keyColumns.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            ColumnDef c = keyColumns.get(i);
            Object v = key[i];
            if (v != null && c.type() == FerryType.DECIMAL) {
                BigDecimal d = ((BigDecimal) v).stripTrailingZeros();
                JsonText.appendString(sb, d.signum() == 0 ? "0" : d.toPlainString());
            } else {
                appendValue(sb, c.type(), v);
            }
        }
        return sb.append(']').toString();
    }

    static String image(List<ColumnDef> columns, Object[] row) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            JsonText.appendString(sb, columns.get(i).name());
            sb.append(':');
            appendValue(sb, columns.get(i).type(), row[i]);
        }
        return sb.append('}').toString();
    }

    private static void appendValue(StringBuilder sb, FerryType type, Object v) {
        if (v == null) {
            sb.append("null");
            return;
        }
        switch (type) {
            case SMALLINT, INTEGER, BIGINT, BOOLEAN -> sb.append(v);
            case REAL -> appendReal(sb, ((Float) v).doubleValue(), v.toString());
            case DOUBLE -> appendReal(sb, (Double) v, v.toString());
            case BINARY -> JsonText.appendString(sb, Values.hex((byte[]) v));
            default -> JsonText.appendString(sb, Values.format(type, v));
        }
    }

    private static void appendReal(StringBuilder sb, double d, String text) {
        if (Double.isNaN(d)) {
            sb.append("\"NaN\"");
        } else if (Double.isInfinite(d)) {
            sb.append(d > 0 ? "9e999" : "-9e999");
        } else {
            sb.append(text);
        }
    }
}
