package dev.ferry.dialect.sqlite;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.remote.SqlText;
import dev.ferry.dialect.sqlite.SqliteUniqueIndexes.IndexColumn;
import dev.ferry.dialect.sqlite.SqliteUniqueIndexes.UniqueIndex;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure-SQL row triggers that keep {@code ferry_pending} current (docs/STATE-TABLES.md, "Tracking
 * triggers"). Pure SQL so that every SQLite client, the {@code sqlite3} shell included, is tracked, and
 * no rule depends on a per-connection setting: an application's connection with default settings is
 * tracked exactly like Ferry's (issue 10, defect 3).
 *
 * <p>For the table at schema position {@code n}: {@code ferry_trk_<n>_ins}, {@code _upd} (key
 * unchanged), {@code _key} (key changed: the DELETE rule for the old key, then the INSERT rule for the
 * new key), {@code _del}, and the two capture triggers {@code _ins_before} and {@code _upd_before}. All
 * fire only {@code WHEN (SELECT applying FROM ferry_state WHERE id = 1) = 0}.
 *
 * <p>Rows deleted by a REPLACE conflict resolution ({@code INSERT OR REPLACE}, {@code REPLACE INTO},
 * {@code UPDATE OR REPLACE}, on the primary key or on any UNIQUE index) fire no delete trigger unless
 * the writing connection turned {@code recursive_triggers} on, which applications do not. So the
 * BEFORE triggers copy every row the new values conflict with into {@code ferry_replacing} (the row
 * still exists at that moment), and the AFTER trigger of the same row applies the DELETE rule to each
 * copied row that is gone: the one with the new row's key (two rows cannot share it), and any other
 * whose key no longer exists. A copied row that is still there (the write was an upsert's DO UPDATE,
 * INSERT OR IGNORE, or a partial index that did not apply) is just forgotten. Should the connection
 * have recursive triggers on, the DELETE trigger runs for the removed row and takes it out of
 * {@code ferry_replacing}, so it is never deleted twice. The BEFORE triggers fire only when there is
 * something to copy or to forget (a conflicting row exists, by index lookups, or {@code ferry_replacing}
 * holds rows of the table), so a write that conflicts with nothing pays a few lookups, not the copy.
 *
 * <p>{@code change_seq}: each rule first increments {@code ferry_state.change_counter} and uses the new
 * value, so sequence numbers increase across all tracked writes (SQLite has one writer at a time, so the
 * counter row is never contended; the rows one REPLACE removes share one number).
 *
 * <p>Each rule is one upsert on {@code ferry_pending}; "capture" uses {@code excluded.old_image}, which
 * holds the OLD row's image. The DELETE rule then removes the pending row if it has neither an
 * old image nor an upload in flight: a freshly inserted {@code deleted} row always has an old image, so
 * only a row that was {@code inserted} (or an {@code error} row without old image) before disappears.
 */
final class SqliteTrackingTriggers {
    private static final String PREFIX = "ferry_trk_";
    private static final String WHEN = "WHEN (SELECT applying FROM ferry_state WHERE id = 1) = 0";
    private static final String BUMP = "UPDATE ferry_state SET change_counter = change_counter + 1 WHERE id = 1;\n";
    private static final String NEXT = "(SELECT change_counter FROM ferry_state WHERE id = 1)";
    private static final String STATE_AFTER_WRITE = "CASE WHEN old_image IS NULL THEN 'inserted' ELSE 'updated' END";
    private static final String CAPTURE = "sent_image = CASE WHEN sent_seq IS NOT NULL AND change_seq = sent_seq"
            + " THEN excluded.old_image ELSE sent_image END";
    private static final String BUMPED = "change_seq = excluded.change_seq, error_code = NULL, error_message = NULL";
    /** Alias of an existing row the new values conflict with; qualified everywhere, so no column name can shadow it. */
    private static final String ROW = "ferry_r";

    private SqliteTrackingTriggers() {
    }

    /** Drops every tracking trigger (of any table) and creates those of {@code tables}, numbered by position. */
    static void install(Connection c, List<TableDef> tables) throws SQLException {
        Map<String, String> wanted = wanted(c, tables);
        dropAll(c);
        try (Statement s = c.createStatement()) {
            for (String ddl : wanted.values()) {
                s.execute(ddl);
            }
        }
    }

    /**
     * True when the triggers are exactly what {@link #install} would create now; false after the
     * application added or dropped a UNIQUE index, or when they come from an older Ferry.
     */
    static boolean upToDate(Connection c, List<TableDef> tables) throws SQLException {
        return wanted(c, tables).equals(installed(c));
    }

    private static Map<String, String> wanted(Connection c, List<TableDef> tables) throws SQLException {
        Map<String, String> ddl = new LinkedHashMap<>();
        for (int i = 0; i < tables.size(); i++) {
            TableDef t = tables.get(i);
            ddl.putAll(create(t, i, SqliteUniqueIndexes.of(c, t.name())));
        }
        return ddl;
    }

    /** Name to CREATE statement of the tracking triggers in the database; SQLite keeps each statement's text as it was run. */
    private static Map<String, String> installed(Connection c) throws SQLException {
        Map<String, String> found = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                     + " AND name LIKE 'ferry\\_trk\\_%' ESCAPE '\\'")) {
            while (rs.next()) {
                found.put(rs.getString(1), rs.getString(2));
            }
        }
        return found;
    }

    static void dropAll(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String n : installed(c).keySet()) {
                s.execute("DROP TRIGGER IF EXISTS " + SqlText.identifier(n, 0));
            }
        }
    }

    /** Name to CREATE TRIGGER statement for {@code table} at schema position {@code position}. */
    static Map<String, String> create(TableDef table, int position, List<UniqueIndex> uniques) {
        String on = " ON " + SqlText.identifier(table.name(), 0) + " FOR EACH ROW ";
        String tbl = SqlText.literal(table.name());
        String newKey = SqliteRowSql.keyText(table, "NEW");
        String oldKey = SqliteRowSql.keyText(table, "OLD");
        String oldImage = SqliteRowSql.image(table, "OLD");
        String sameKey = sameKey(table, "OLD", "NEW");
        String name = PREFIX + position;
        Map<String, String> ddl = new LinkedHashMap<>();
        ddl.put(name + "_ins_before", "CREATE TRIGGER " + name + "_ins_before BEFORE INSERT" + on + WHEN + " AND (" + captureNeeded(table, tbl, uniques, false)
                + ")\nBEGIN\n" + captureRule(table, tbl, uniques, false) + "END");
        ddl.put(name + "_ins", "CREATE TRIGGER " + name + "_ins AFTER INSERT" + on + WHEN + "\nBEGIN\n"
                + replacedRule(table, tbl, newKey) + insertRule(tbl, newKey) + "END");
        ddl.put(name + "_upd_before", "CREATE TRIGGER " + name + "_upd_before BEFORE UPDATE" + on + WHEN + " AND (" + captureNeeded(table, tbl, uniques, true)
                + ")\nBEGIN\n" + captureRule(table, tbl, uniques, true) + "END");
        ddl.put(name + "_upd", "CREATE TRIGGER " + name + "_upd AFTER UPDATE" + on + WHEN + " AND (" + sameKey + ")\nBEGIN\n"
                + replacedRule(table, tbl, newKey) + updateRule(tbl, newKey, oldImage) + "END");
        ddl.put(name + "_key", "CREATE TRIGGER " + name + "_key AFTER UPDATE" + on + WHEN + " AND NOT (" + sameKey + ")\nBEGIN\n"
                + deleteRule(tbl, oldKey, oldImage) + replacedRule(table, tbl, newKey) + insertRule(tbl, newKey) + "END");
        ddl.put(name + "_del", "CREATE TRIGGER " + name + "_del AFTER DELETE" + on + WHEN + "\nBEGIN\n"
                + deleteRule(tbl, oldKey, oldImage)
                + "DELETE FROM ferry_replacing WHERE tbl = " + tbl + " AND pk = " + oldKey + ";\n" + "END");
        return ddl;
    }

    private static String sameKey(TableDef table, String a, String b) {
        List<String> parts = new ArrayList<>();
        for (String k : table.primaryKey()) {
            String q = SqlText.identifier(k, 0);
            parts.add(a + "." + q + " IS " + b + "." + q);
        }
        return String.join(" AND ", parts);
    }

    /**
     * BEFORE INSERT / UPDATE: forget what an earlier write left behind (a REPLACE that turned out an
     * upsert or was ignored fires no AFTER trigger), then copy every existing row the NEW values
     * conflict with, on the key, the rowid or a UNIQUE index; for an UPDATE the row being updated is not one.
     */
    private static String captureRule(TableDef table, String tbl, List<UniqueIndex> uniques, boolean update) {
        String source = " FROM " + SqlText.identifier(table.name(), 0) + " AS " + ROW + " WHERE ";
        String select = "SELECT " + tbl + ", " + SqliteRowSql.keyText(table, ROW) + ", " + SqliteRowSql.image(table, ROW) + source;
        String notTheUpdatedRow = notTheUpdatedRow(table, update);
        List<String> selects = new ArrayList<>();
        for (String cond : conflicts(table, uniques)) {
            selects.add(select + "(" + cond + ")" + notTheUpdatedRow);
        }
        selects.add(uncoveredIndexes(table, tbl, uniques, notTheUpdatedRow));
        return "DELETE FROM ferry_replacing WHERE tbl = " + tbl + ";\n"
                + "INSERT INTO ferry_replacing (tbl, pk, image)\n  " + String.join("\n  UNION ", selects) + ";\n";
    }

    /**
     * The WHEN condition of the capture triggers: true whenever {@link #captureRule} has anything to do
     * (an earlier write left rows in {@code ferry_replacing}, or a row the NEW values conflict with
     * exists), so that the common write, which conflicts with nothing, skips its work (issue 12: the
     * capture was most of the cost of a tracked insert). Each conflict is an index lookup; a UNIQUE index
     * the triggers do not know yet ({@link #uncoveredIndexes}) is noticed in the table's index list (a
     * few rows, whatever the size of the schema; the schema table would be scanned whole at every write).
     */
    private static String captureNeeded(TableDef table, String tbl, List<UniqueIndex> uniques, boolean update) {
        String notTheUpdatedRow = notTheUpdatedRow(table, update);
        List<String> needed = new ArrayList<>();
        needed.add("EXISTS (SELECT 1 FROM ferry_replacing WHERE tbl = " + tbl + ")");
        for (String cond : conflicts(table, uniques)) {
            needed.add("EXISTS (SELECT 1 FROM " + SqlText.identifier(table.name(), 0) + " AS " + ROW + " WHERE (" + cond + ")" + notTheUpdatedRow + ")");
        }
        List<String> known = new ArrayList<>();
        for (UniqueIndex u : uniques) {
            known.add(SqlText.literal(u.name()));
        }
        // The catalog filter of uncoveredIndexes without its column checks: true whenever that part could match.
        needed.add("EXISTS (SELECT 1 FROM pragma_index_list(" + tbl + ") AS ferry_il WHERE ferry_il.\"unique\" = 1 AND ferry_il.origin <> 'pk'"
                + " AND ferry_il.name NOT IN (" + String.join(", ", known) + "))");
        return String.join(" OR ", needed);
    }

    private static String notTheUpdatedRow(TableDef table, boolean update) {
        return update ? " AND NOT (" + sameKey(table, ROW, "OLD") + ")" : "";
    }

    /** The conditions under which an existing row {@value #ROW} conflicts with the NEW values: key, rowid, each known UNIQUE index. */
    private static List<String> conflicts(TableDef table, List<UniqueIndex> uniques) {
        List<String> conditions = new ArrayList<>();
        List<String> key = new ArrayList<>();
        for (String k : table.primaryKey()) {
            String q = SqlText.identifier(k, 0);
            key.add(ROW + "." + q + " = NEW." + q);
        }
        conditions.add(String.join(" AND ", key));
        if (!isRowidAlias(table)) {
            // INSERT OR REPLACE naming the rowid replaces the row holding it, whatever its key.
            conditions.add(ROW + ".rowid = NEW.rowid");
        }
        for (UniqueIndex u : uniques) {
            List<String> parts = new ArrayList<>();
            for (IndexColumn col : u.columns()) {
                String q = SqlText.identifier(col.column(), 0);
                parts.add(ROW + "." + q + " = NEW." + q + " COLLATE " + SqlText.identifier(col.collation(), 0));
            }
            conditions.add(String.join(" AND ", parts));
        }
        return conditions;
    }

    /**
     * Rows conflicting on a UNIQUE index the application created after these triggers were (a sync
     * re-creates them with the index, {@link #upToDate}): the index's columns are looked up in SQLite's
     * catalog at write time and every row of the table is compared on them. Costs one pass over the
     * table per write, and only while such an index exists: with none, the catalog subquery in FROM is
     * empty and the table is never read (LIMIT keeps SQLite from flattening it into the row loop, CROSS
     * JOIN keeps it the outer loop). Indexes on expressions (or on columns Ferry does not know) are left out here too.
     */
    private static String uncoveredIndexes(TableDef table, String tbl, List<UniqueIndex> covered, String notTheUpdatedRow) {
        List<String> known = new ArrayList<>();
        for (UniqueIndex u : covered) {
            known.add(SqlText.literal(u.name()));
        }
        List<ColumnDef> columns = table.columns();
        List<String> names = new ArrayList<>();
        for (ColumnDef c : columns) {
            names.add(SqlText.literal(c.name()));
        }
        List<String> collations = new ArrayList<>();
        List<String> matches = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String flag = "ferry_u.ferry_c" + i;
            String col = SqlText.identifier(columns.get(i).name(), 0);
            // NULL when the column is not in the index, else the index's collation for it.
            collations.add("(SELECT x.coll FROM pragma_index_xinfo(ferry_il.name) AS x WHERE x.key = 1 AND x.name = "
                    + SqlText.literal(columns.get(i).name()) + ") AS ferry_c" + i);
            String eq = ROW + "." + col + " = NEW." + col;
            matches.add("(" + flag + " IS NULL OR CASE " + flag + " WHEN 'NOCASE' THEN " + eq + " COLLATE NOCASE WHEN 'RTRIM' THEN "
                    + eq + " COLLATE RTRIM ELSE " + eq + " END)");
        }
        return "SELECT " + tbl + ", " + SqliteRowSql.keyText(table, ROW) + ", " + SqliteRowSql.image(table, ROW)
                + " FROM (SELECT " + String.join(", ", collations) + " FROM pragma_index_list(" + tbl + ") AS ferry_il"
                + " WHERE ferry_il.\"unique\" = 1 AND ferry_il.origin <> 'pk' AND ferry_il.name NOT IN (" + String.join(", ", known) + ")"
                + " AND NOT EXISTS (SELECT 1 FROM pragma_index_xinfo(ferry_il.name) AS x WHERE x.key = 1"
                + " AND (x.cid < 0 OR x.name NOT IN (" + String.join(", ", names) + "))) LIMIT -1) AS ferry_u"
                + " CROSS JOIN " + SqlText.identifier(table.name(), 0) + " AS " + ROW
                + " WHERE " + String.join(" AND ", matches) + notTheUpdatedRow;
    }

    /** A single INTEGER key column is the rowid itself, so the key condition already covers the rowid. */
    private static boolean isRowidAlias(TableDef table) {
        List<ColumnDef> keys = table.keyColumns();
        return keys.size() == 1 && SqliteValues.nativeType(keys.get(0)).equals("INTEGER");
    }

    /**
     * AFTER INSERT / UPDATE: the DELETE rule for every row the BEFORE trigger copied that is gone now,
     * with the copied image as the OLD row; then {@code ferry_replacing} is emptied for the table.
     */
    private static String replacedRule(TableDef table, String tbl, String newKey) {
        List<String> keyMatch = new ArrayList<>();
        List<String> pk = table.primaryKey();
        for (int i = 0; i < pk.size(); i++) {
            keyMatch.add("x." + SqlText.identifier(pk.get(i), 0) + " = json_extract(g.pk, '$[" + i + "]')");
        }
        String gone = "g.tbl = " + tbl + " AND (g.pk = " + newKey + " OR NOT EXISTS (SELECT 1 FROM "
                + SqlText.identifier(table.name(), 0) + " AS x WHERE " + String.join(" AND ", keyMatch) + "))";
        return "UPDATE ferry_state SET change_counter = change_counter + 1 WHERE id = 1"
                + " AND EXISTS (SELECT 1 FROM ferry_replacing WHERE tbl = " + tbl + ");\n"
                + "INSERT INTO ferry_pending (tbl, pk, state, old_image, change_seq)\n"
                + "  SELECT g.tbl, g.pk, 'deleted', g.image, " + NEXT + " FROM ferry_replacing AS g WHERE " + gone + "\n"
                + "  ON CONFLICT (tbl, pk) DO UPDATE SET " + CAPTURE + ", state = 'deleted', " + BUMPED + ";\n"
                // The uncorrelated EXISTS is evaluated once, before the IN list would be built: nothing to do when nothing was captured.
                + "DELETE FROM ferry_pending WHERE EXISTS (SELECT 1 FROM ferry_replacing WHERE tbl = " + tbl + ") AND tbl = " + tbl
                + " AND old_image IS NULL AND sent_seq IS NULL AND pk IN (SELECT g.pk FROM ferry_replacing AS g WHERE " + gone + ");\n"
                + "DELETE FROM ferry_replacing WHERE tbl = " + tbl + ";\n";
    }

    private static String upsert(String tbl, String key, String state, String oldImage) {
        return "INSERT INTO ferry_pending (tbl, pk, state, old_image, change_seq) VALUES ("
                + tbl + ", " + key + ", '" + state + "', " + oldImage + ", " + NEXT + ")\n"
                + "  ON CONFLICT (tbl, pk) DO UPDATE SET ";
    }

    private static String insertRule(String tbl, String key) {
        return BUMP + upsert(tbl, key, "inserted", "NULL") + "state = " + STATE_AFTER_WRITE + ", " + BUMPED + ";\n";
    }

    private static String updateRule(String tbl, String key, String oldImage) {
        return BUMP + upsert(tbl, key, "updated", oldImage)
                + CAPTURE + ", state = " + STATE_AFTER_WRITE + ", " + BUMPED + ";\n";
    }

    private static String deleteRule(String tbl, String key, String oldImage) {
        return BUMP + upsert(tbl, key, "deleted", oldImage) + CAPTURE + ", state = 'deleted', " + BUMPED + ";\n"
                + "DELETE FROM ferry_pending WHERE tbl = " + tbl + " AND pk = " + key
                + " AND old_image IS NULL AND sent_seq IS NULL;\n";
    }
}
