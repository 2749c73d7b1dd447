package dev.ferry.dialect.sqlite;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.remote.JsonText;
import dev.ferry.dialect.remote.SqlText;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL expressions, evaluated inside triggers and the row-state view, that turn a row into the texts
 * stored in {@code ferry_pending}:
 * <ul>
 *   <li>key text: {@code json_array(k1, k2, ...)} of the stored key values, e.g. {@code [42]} or
 *       {@code ["a",7]} (integers as numbers, every TEXT-stored type as a string of the stored text);</li>
 *   <li>image: a JSON object {@code {"col": value}} of every column in table order: integers and
 *       booleans (0/1) as numbers, reals as numbers that read back as the same double, BLOBs as
 *       lower-case hex strings, everything else as a string of the stored text.</li>
 * </ul>
 * The image is assembled by concatenation rather than {@code json_object} because SQLite caps a
 * function call at 127 arguments (a 64-column table would not fit), and because {@code json_object}
 * prints a REAL with only 15 significant digits (0.30000000000000004 would become 0.3).
 */
final class SqliteRowSql {
    /** Largest finite double; anything beyond is an infinity, which has no JSON number. */
    private static final String MAX_DOUBLE = "1.7976931348623157e308";

    private SqliteRowSql() {
    }

    /** {@code json_array(<row>."k1", ...)}; {@code row} is NEW, OLD or a table alias. */
    static String keyText(TableDef table, String row) {
        List<String> parts = new ArrayList<>();
        for (String k : table.primaryKey()) {
            parts.add(row + "." + SqlText.identifier(k, 0));
        }
        return "json_array(" + String.join(", ", parts) + ")";
    }

    /** The JSON object text of the whole row; never NULL. */
    static String image(TableDef table, String row) {
        List<String> parts = new ArrayList<>();
        List<ColumnDef> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            ColumnDef c = columns.get(i);
            parts.add(SqlText.literal((i == 0 ? "{" : ",") + JsonText.string(c.name()) + ":"));
            parts.add(value(c, row + "." + SqlText.identifier(c.name(), 0)));
        }
        parts.add(SqlText.literal(columns.isEmpty() ? "{}" : "}"));
        return concat(parts, 0, parts.size());
    }

    private static String value(ColumnDef c, String x) {
        return switch (c.type()) {
            // Shortest of 15 or 17 significant digits that reads back as the same double (17 always does).
            case REAL, DOUBLE -> "CASE WHEN " + x + " IS NULL THEN 'null'"
                    + " WHEN " + x + " > " + MAX_DOUBLE + " THEN '9e999'"
                    + " WHEN " + x + " < -" + MAX_DOUBLE + " THEN '-9e999'"
                    + " WHEN CAST(printf('%!.15g', " + x + ") AS REAL) = " + x + " THEN printf('%!.15g', " + x + ")"
                    + " ELSE printf('%!.17g', " + x + ") END";
            // hex(NULL) is '' (not NULL), so NULL needs its own branch.
            case BINARY -> "CASE WHEN " + x + " IS NULL THEN 'null' ELSE '\"' || lower(hex(" + x + ")) || '\"' END";
            default -> "json_quote(" + x + ")";
        };
    }

    /** Balanced {@code a || b} tree: a left-deep chain over a wide table would exceed SQLite's expression depth limit. */
    private static String concat(List<String> parts, int from, int to) {
        if (to - from == 1) {
            return parts.get(from);
        }
        int mid = (from + to) >>> 1;
        return "(" + concat(parts, from, mid) + " || " + concat(parts, mid, to) + ")";
    }
}
