package dev.ferry.core.schema;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which columns of each table synchronize (issue 13, {@code sync.tables.<table>.columns} and
 * {@code sync.tables.<table>.excludeColumns}): by default all of them. A column left out is never sent
 * to remotes, never written by an upload (an insert leaves it to its default) and never compared in a
 * conflict; the table's other columns synchronize as usual. Table and column names match exactly, or
 * else ignoring case (as table names in {@code sync.tables} do). Immutable.
 *
 * @param tables table name as configured to its choice
 */
public record ColumnChoice(Map<String, Columns> tables) {
    /** Every column of every table. */
    public static final ColumnChoice ALL = new ColumnChoice(Map.of());

    /**
     * One table's choice.
     *
     * @param only     the columns to synchronize, or null for all of them
     * @param excluded columns to leave out (applied after {@code only})
     */
    public record Columns(List<String> only, List<String> excluded) {
        public Columns {
            only = only == null ? null : List.copyOf(only);
            excluded = List.copyOf(excluded);
        }
    }

    public ColumnChoice {
        tables = Map.copyOf(tables);
    }

    /** The choice configured for {@code table} as the database names it, or null when it keeps every column. */
    public Columns of(String table) {
        Columns exact = tables.get(table);
        if (exact != null) {
            return exact;
        }
        List<Columns> loose = tables.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(table)).map(Map.Entry::getValue).toList();
        return loose.size() == 1 ? loose.get(0) : null;
    }

    /** Whether {@code column} of {@code table} synchronizes under this choice. */
    public boolean keeps(String table, String column) {
        Columns c = of(table);
        if (c == null) {
            return true;
        }
        return (c.only() == null || containsName(c.only(), column)) && !containsName(c.excluded(), column);
    }

    private static boolean containsName(List<String> names, String column) {
        if (names.contains(column)) {
            return true;
        }
        String lower = column.toLowerCase(Locale.ROOT);
        return names.stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(lower));
    }
}
