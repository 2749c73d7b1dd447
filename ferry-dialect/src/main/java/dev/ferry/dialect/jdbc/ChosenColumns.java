package dev.ferry.dialect.jdbc;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.schema.ColumnChoice;
import dev.ferry.core.schema.SchemaRefusal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Applies the configured {@link ColumnChoice} to one table's columns and refuses a choice that cannot
 * work: a name that is no column of the table, a primary-key column left out (rows are identified by
 * it), or a NOT NULL column without a default left out (no insert from a remote could succeed; the
 * database fills identity and generated columns itself, so those may go).
 */
final class ChosenColumns {
    private ChosenColumns() {
    }

    /**
     * The columns that synchronize, in table order.
     *
     * @param required the columns an insert must name (NOT NULL, no default, not filled by the database)
     * @param leftOut  receives the names of the columns the choice leaves out
     */
    static List<NativeColumn> apply(String table, List<NativeColumn> all, Set<String> required, ColumnChoice choice,
                                    List<SchemaRefusal> refusals, List<String> leftOut) {
        ColumnChoice.Columns chosen = choice.of(table);
        if (chosen == null) {
            return all;
        }
        List<String> names = all.stream().map(NativeColumn::name).toList();
        if (chosen.only() != null) {
            unknown(table, "columns", chosen.only(), names, refusals);
        }
        unknown(table, "excludeColumns", chosen.excluded(), names, refusals);
        List<NativeColumn> kept = new ArrayList<>();
        for (NativeColumn col : all) {
            if (choice.keeps(table, col.name())) {
                kept.add(col);
                continue;
            }
            leftOut.add(col.name());
            if (col.inPrimaryKey()) {
                refusals.add(new SchemaRefusal(table, col.name(), ErrorCode.CONFIG_INVALID, "sync.tables." + table + " leaves out primary key column "
                        + col.name() + " of " + table, "a synchronized table always carries its primary key: keep " + col.name()));
            } else if (required.contains(col.name())) {
                refusals.add(new SchemaRefusal(table, col.name(), ErrorCode.CONFIG_INVALID, "sync.tables." + table + " leaves out column "
                        + col.name() + " of " + table + ", which is NOT NULL without a default: no insert from a remote could succeed",
                        "keep " + col.name() + ", or give it a default"));
            }
        }
        return kept;
    }

    private static void unknown(String table, String setting, List<String> configured, List<String> names, List<SchemaRefusal> refusals) {
        for (String name : configured) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!names.contains(name) && names.stream().noneMatch(n -> n.toLowerCase(Locale.ROOT).equals(lower))) {
                refusals.add(new SchemaRefusal(table, name, ErrorCode.CONFIG_INVALID, "sync.tables." + table + "." + setting + " names " + name
                        + ", which is not a column of " + table, "the columns of " + table + " are " + names));
            }
        }
    }
}
