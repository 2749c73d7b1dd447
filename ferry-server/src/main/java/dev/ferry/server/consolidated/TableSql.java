package dev.ferry.server.consolidated;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements the server runs against one synchronized table, with every identifier validated and
 * quoted by the dialect. Immutable; build once per table.
 */
public final class TableSql {
    private final ConsolidatedDialect dialect;
    private final TableDef table;
    private final String shadow;
    private final String insert;
    private final String update;
    private final String selectRow;
    private final String pos;
    private final String origin;

    public TableSql(ConsolidatedDialect dialect, TrackedTable tracked) {
        this.dialect = dialect;
        this.table = tracked.table();
        this.shadow = dialect.quote(tracked.shadow());
        this.pos = dialect.quote("ferry_position");
        this.origin = dialect.quote("ferry_origin");
        String name = dialect.quote(table.name());
        // Columns the database fills itself are never written (issue 10, defect 11); an identity key the
        // remote chose needs OVERRIDING SYSTEM VALUE where the database would otherwise refuse it.
        List<ColumnDef> written = table.writableColumns();
        this.insert = "INSERT INTO " + name + " (" + columnList(written, "") + ") "
                + (table.insertsIdentityAlways() ? dialect.overridingSystemValue() + " " : "") + "VALUES ("
                + written.stream().map(dialect::placeholder).collect(Collectors.joining(", ")) + ")";
        List<ColumnDef> rest = table.updatableColumns();
        this.update = rest.isEmpty() ? null : "UPDATE " + name + " SET "
                + rest.stream().map(c -> dialect.quote(c.name()) + " = " + dialect.placeholder(c)).collect(Collectors.joining(", "))
                + " WHERE " + keyPredicate("");
        this.selectRow = "SELECT " + columnList(table.columns(), "") + " FROM " + name + " WHERE " + keyPredicate("");
    }

    public TableDef table() {
        return table;
    }

    /** Parameters: the {@link TableDef#writableColumns() writable columns}. */
    public String insert() {
        return insert;
    }

    /**
     * Parameters: the {@link TableDef#updatableColumns() updatable columns}, then the key. Null when
     * there are none (every column is key or filled by the database: same key, same row).
     */
    public String update() {
        return update;
    }

    /** The current row by key. */
    public String selectRow() {
        return selectRow;
    }

    /**
     * Reads and locks the current rows of {@code count} keys (bound one key after another with
     * {@link #bindKey}), so an upload compares against rows nobody can change before it writes them.
     */
    public String lockRows(int count) {
        return "SELECT " + columnList(table.columns(), "") + " FROM " + dialect.quote(table.name()) + " WHERE " + keysIn(count) + " FOR UPDATE";
    }

    /** {@code <key> IN (<count> placeholders>)}, a key bound after another with {@link #bindKey}. */
    private String keysIn(int count) {
        List<ColumnDef> keys = table.keyColumns();
        String one = keys.size() == 1 ? dialect.placeholder(keys.get(0))
                : "(" + keys.stream().map(dialect::placeholder).collect(Collectors.joining(", ")) + ")";
        String target = keys.size() == 1 ? dialect.quote(keys.get(0).name()) : "(" + columnList(keys, "") + ")";
        return target + " IN (" + String.join(", ", java.util.Collections.nCopies(count, one)) + ")";
    }

    /**
     * Records that the last change of {@code count} keys is the upload of one remote (parameter 1, then
     * the keys): its download leaves them out while nobody else changes them (docs/STATE-TABLES.md, "Echo").
     */
    public String tagOrigin(int count) {
        // Rows the trigger already tagged are left as they are (no new row version): parameter 2 is the tag again.
        return "UPDATE " + shadow + " SET " + origin + " = ? WHERE (" + origin + " IS NULL OR " + origin + " <> ?) AND " + keysIn(count);
    }

    /** Bound parameters one statement may carry (PostgreSQL's protocol counts them in 16 bits). */
    private static final int MAX_PARAMETERS = 65_535;

    /**
     * How many rows one {@link #updateMany} statement takes at most; 0 when the dialect has no
     * set-based update or there is nothing to set.
     */
    public int updateManyLimit() {
        List<ColumnDef> rest = table.updatableColumns();
        if (rest.isEmpty() || dialect.valuesCast(rest.get(0)) == null) {
            return 0;
        }
        return MAX_PARAMETERS / (rest.size() + table.keyColumns().size());
    }

    /**
     * Updates {@code rows} rows in one statement, {@code UPDATE ... FROM (VALUES ...)}, each value cast
     * to its unconstrained type ({@link ConsolidatedDialect#valuesCast}) so the column's own assignment
     * checks it; parameters: per row, the key columns then the updatable columns. Only when
     * {@link #updateManyLimit} is not 0.
     */
    public String updateMany(int rows) {
        List<ColumnDef> keys = table.keyColumns();
        List<ColumnDef> rest = table.updatableColumns();
        List<ColumnDef> all = new java.util.ArrayList<>(keys);
        all.addAll(rest);
        String row = "(" + all.stream().map(c -> "CAST(" + dialect.placeholder(c) + " AS " + dialect.valuesCast(c) + ")")
                .collect(Collectors.joining(", ")) + ")";
        return "UPDATE " + dialect.quote(table.name()) + " AS ferry_t SET "
                + rest.stream().map(c -> dialect.quote(c.name()) + " = ferry_v." + dialect.quote(c.name())).collect(Collectors.joining(", "))
                + " FROM (VALUES " + String.join(", ", java.util.Collections.nCopies(rows, row)) + ") AS ferry_v ("
                + columnList(all, "") + ") WHERE "
                + keys.stream().map(k -> "ferry_t." + dialect.quote(k.name()) + " = ferry_v." + dialect.quote(k.name()))
                .collect(Collectors.joining(" AND "));
    }

    /**
     * Sets only {@code columns} of one row (parameters: those columns, then the key): how an upload writes
     * the columns of a cycle-closing foreign key once the rows they reference exist, or clears them before
     * a delete (docs/SCHEMAS.md, "Foreign-key cycles").
     */
    public String setColumns(List<String> columns) {
        return "UPDATE " + dialect.quote(table.name()) + " SET "
                + columns.stream().map(n -> dialect.quote(n) + " = " + dialect.placeholder(table.column(n))).collect(Collectors.joining(", "))
                + " WHERE " + keyPredicate("");
    }

    /** Deletes the rows of {@code count} keys in one statement: parameters are the keys, one after another. */
    public String deleteKeys(int count) {
        return "DELETE FROM " + dialect.quote(table.name()) + " WHERE " + keysIn(count);
    }

    /** Clears the origin tag of {@code count} keys: rows a trigger tagged that are not what the remote uploaded. */
    public String untagOrigin(int count) {
        return "UPDATE " + shadow + " SET " + origin + " = NULL WHERE " + origin + " IS NOT NULL AND " + keysIn(count);
    }

    /** Marks a row changed so the next stamp delivers it again (used when the server's version must win). */
    public String touchShadow() {
        return "UPDATE " + shadow + " SET " + pos + " = NULL, " + origin + " = NULL WHERE " + keyPredicate("");
    }

    public String insertShadow(char op) {
        return "INSERT INTO " + shadow + " (" + columnList(table.keyColumns(), "") + ", " + dialect.quote("ferry_op") + ", " + pos + ") VALUES ("
                + table.keyColumns().stream().map(dialect::placeholder).collect(Collectors.joining(", ")) + ", '" + op + "', NULL)";
    }

    /** Every current row: the download of a remote that has never downloaded. */
    public String selectAll() {
        return "SELECT " + columnList(table.columns(), "t.") + " FROM " + dialect.quote(table.name()) + " t";
    }

    /** Every current row but those whose last change is the upload of one remote. Parameter: the remote id. */
    public String selectAllButEchoes() {
        return selectAll() + " WHERE NOT EXISTS (SELECT 1 FROM " + shadow + " c WHERE " + joinPredicate() + " AND c." + origin + " = ?)";
    }

    /**
     * Rows changed in (after, upTo] that still exist, but for those whose last change is the upload of
     * the remote served. Parameters: after, upTo, the remote id ({@code ""} for none: remote ids are never empty).
     */
    public String selectChanged() {
        return "SELECT " + columnList(table.columns(), "t.") + " FROM " + shadow + " c JOIN " + dialect.quote(table.name())
                + " t ON " + joinPredicate() + " WHERE c." + pos + " > ? AND c." + pos + " <= ? AND " + notEcho("c.");
    }

    /** Keys changed in (after, upTo] whose row no longer exists, echoes left out. Parameters as {@link #selectChanged}. */
    public String selectDeleted() {
        String firstKey = dialect.quote(table.primaryKey().get(0));
        return "SELECT " + columnList(table.keyColumns(), "c.") + " FROM " + shadow + " c LEFT JOIN " + dialect.quote(table.name())
                + " t ON " + joinPredicate() + " WHERE c." + pos + " > ? AND c." + pos + " <= ? AND t." + firstKey + " IS NULL AND " + notEcho("c.");
    }

    /** Portable {@code origin IS DISTINCT FROM ?} (MariaDB has no IS DISTINCT FROM). */
    private String notEcho(String alias) {
        return "(" + alias + origin + " IS NULL OR " + alias + origin + " <> ?)";
    }

    /** Unstamped shadow keys that no other transaction holds. Parameter: limit. */
    public String selectUnstamped(int limit) {
        return "SELECT " + columnList(table.keyColumns(), "") + " FROM " + shadow + " WHERE " + pos + " IS NULL"
                + " " + limitClause(limit) + stamplock();
    }

    private String stamplock() {
        return dialect.skipLockedClause();
    }

    private static String limitClause(int limit) {
        return "FETCH FIRST " + limit + " ROWS ONLY";
    }

    /** Stamps {@code count} keys (locked by {@link #selectUnstamped}). Parameters: the position, then the keys. */
    public String stamp(int count) {
        return "UPDATE " + shadow + " SET " + pos + " = ? WHERE " + keysIn(count);
    }

    /**
     * Stamps, in one statement, every unstamped change no other transaction holds, where the database
     * skips locked rows inside an UPDATE's subquery without waiting on them (PostgreSQL). Parameter: the position.
     */
    public String stampAllUnlocked() {
        String keys = columnList(table.keyColumns(), "");
        String target = table.keyColumns().size() == 1 ? keys : "(" + keys + ")";
        return "UPDATE " + shadow + " SET " + pos + " = ? WHERE " + target + " IN (SELECT " + keys + " FROM " + shadow + " WHERE " + pos
                + " IS NULL" + stamplock() + ")";
    }

    /** Whether any change is unstamped, as this statement sees it (locks nothing). */
    public String anyUnstamped() {
        return "SELECT 1 FROM " + shadow + " WHERE " + pos + " IS NULL " + limitClause(1);
    }

    /** Binds key values (canonical, key order) starting at {@code index}; returns the next index. */
    public int bindKey(PreparedStatement ps, int index, Object[] key) throws SQLException {
        List<ColumnDef> keys = table.keyColumns();
        for (int i = 0; i < keys.size(); i++) {
            dialect.bind(ps, index++, keys.get(i), key[i]);
        }
        return index;
    }

    public Object[] readRow(ResultSet rs) throws SQLException {
        Object[] row = new Object[table.columns().size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = dialect.read(rs, i + 1, table.columns().get(i));
        }
        return row;
    }

    public Object[] readKey(ResultSet rs) throws SQLException {
        List<ColumnDef> keys = table.keyColumns();
        Object[] key = new Object[keys.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = dialect.read(rs, i + 1, keys.get(i));
        }
        return key;
    }

    private String keyPredicate(String alias) {
        return table.keyColumns().stream().map(c -> alias + dialect.quote(c.name()) + " = " + dialect.placeholder(c))
                .collect(Collectors.joining(" AND "));
    }

    private String joinPredicate() {
        return table.primaryKey().stream().map(k -> "t." + dialect.quote(k) + " = c." + dialect.quote(k))
                .collect(Collectors.joining(" AND "));
    }

    private String columnList(List<ColumnDef> cols, String alias) {
        return cols.stream().map(c -> alias + dialect.quote(c.name())).collect(Collectors.joining(", "));
    }
}
