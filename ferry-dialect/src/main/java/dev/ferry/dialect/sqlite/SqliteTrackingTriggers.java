package dev.ferry.dialect.sqlite;

import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.remote.SqlText;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure-SQL row triggers that keep {@code ferry_pending} current (docs/STATE-TABLES.md, "Tracking
 * triggers"). Pure SQL so that every SQLite client, the {@code sqlite3} shell included, is tracked.
 *
 * <p>For the table at schema position {@code n}: {@code ferry_trk_<n>_ins}, {@code _upd} (key
 * unchanged), {@code _key} (key changed: the DELETE rule for the old key, then the INSERT rule for the
 * new key) and {@code _del}. All fire only {@code WHEN (SELECT applying FROM ferry_state WHERE id = 1) = 0}.
 *
 * <p>{@code change_seq}: each rule first increments {@code ferry_state.change_counter} and uses the new
 * value, so sequence numbers are strictly increasing across all tracked writes (SQLite has one writer
 * at a time, so the counter row is never contended).
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

    private SqliteTrackingTriggers() {
    }

    /** Drops every tracking trigger (of any table), so re-installing never leaves stale ones. */
    static void dropAll(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                     + " AND name LIKE 'ferry\\_trk\\_%' ESCAPE '\\'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        try (Statement s = c.createStatement()) {
            for (String n : names) {
                s.execute("DROP TRIGGER IF EXISTS " + SqlText.identifier(n, 0));
            }
        }
    }

    /** The CREATE TRIGGER statements for {@code table} at schema position {@code position}. */
    static List<String> create(TableDef table, int position) {
        String on = " ON " + SqlText.identifier(table.name(), 0) + " FOR EACH ROW ";
        String tbl = SqlText.literal(table.name());
        String newKey = SqliteRowSql.keyText(table, "NEW");
        String oldKey = SqliteRowSql.keyText(table, "OLD");
        String oldImage = SqliteRowSql.image(table, "OLD");
        String sameKey = sameKey(table);
        String name = PREFIX + position;
        return List.of(
                "CREATE TRIGGER " + name + "_ins AFTER INSERT" + on + WHEN + "\nBEGIN\n"
                        + insertRule(tbl, newKey) + "END",
                "CREATE TRIGGER " + name + "_upd AFTER UPDATE" + on + WHEN + " AND (" + sameKey + ")\nBEGIN\n"
                        + updateRule(tbl, newKey, oldImage) + "END",
                "CREATE TRIGGER " + name + "_key AFTER UPDATE" + on + WHEN + " AND NOT (" + sameKey + ")\nBEGIN\n"
                        + deleteRule(tbl, oldKey, oldImage) + insertRule(tbl, newKey) + "END",
                "CREATE TRIGGER " + name + "_del AFTER DELETE" + on + WHEN + "\nBEGIN\n"
                        + deleteRule(tbl, oldKey, oldImage) + "END");
    }

    private static String sameKey(TableDef table) {
        List<String> parts = new ArrayList<>();
        for (String k : table.primaryKey()) {
            String q = SqlText.identifier(k, 0);
            parts.add("OLD." + q + " IS NEW." + q);
        }
        return String.join(" AND ", parts);
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
