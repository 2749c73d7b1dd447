package dev.ferry.dialect.sqlite;

import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import dev.ferry.dialect.remote.SqlText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Ferry's remote system tables in SQLite (docs/STATE-TABLES.md, "Remote database"), created if
 * missing, all STRICT: {@code ferry_state} (one row, {@code id = 1}), {@code ferry_table},
 * {@code ferry_column}, {@code ferry_pending}, {@code ferry_replacing} (the tracking triggers' scratch
 * table), and the {@code ferry_row_state} view (re-created on
 * every install because it names every synchronized table). Times in {@code ferry_state} are
 * ISO-8601 UTC text ending in Z; flags ({@code applying}) are INTEGER 0/1.
 */
final class SqliteStateTables {
    private static final List<String> TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS ferry_state ("
                    + "id INTEGER PRIMARY KEY CHECK (id = 1), remote_id TEXT, server_url TEXT, user_name TEXT,"
                    + " credential TEXT, consolidated_id TEXT, progress INTEGER NOT NULL DEFAULT 0, pending_upload INTEGER, pending_upload_id TEXT,"
                    + " last_download INTEGER NOT NULL DEFAULT 0, last_download_time TEXT, last_upload_time TEXT,"
                    + " change_counter INTEGER NOT NULL DEFAULT 0, upload_log_since INTEGER NOT NULL DEFAULT 1, upload_log_days INTEGER NOT NULL DEFAULT 30,"
                    + " applying INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1)), created_at TEXT NOT NULL) STRICT",
            "CREATE TABLE IF NOT EXISTS ferry_table (tbl TEXT PRIMARY KEY, position INTEGER NOT NULL) STRICT",
            "CREATE TABLE IF NOT EXISTS ferry_column (tbl TEXT NOT NULL, col TEXT NOT NULL, position INTEGER NOT NULL,"
                    + " ferry_type TEXT NOT NULL, nullable INTEGER NOT NULL, length INTEGER, precision_ INTEGER,"
                    + " scale INTEGER, key_position INTEGER, PRIMARY KEY (tbl, col)) STRICT",
            "CREATE TABLE IF NOT EXISTS ferry_pending (tbl TEXT NOT NULL, pk TEXT NOT NULL,"
                    + " state TEXT NOT NULL CHECK (state IN ('inserted', 'updated', 'deleted', 'error')),"
                    + " old_image TEXT, change_seq INTEGER NOT NULL, sent_seq INTEGER, sent_state TEXT, sent_image TEXT,"
                    + " error_code TEXT, error_message TEXT, PRIMARY KEY (tbl, pk)) STRICT",
            // The rows of this remote's acknowledged uploads, with the server's version before each, kept for
            // upload_log_days: if the consolidated database loses uploads (a restore), they are sent again.
            "CREATE TABLE IF NOT EXISTS ferry_upload_log (upload_number INTEGER NOT NULL, tbl TEXT NOT NULL, pk TEXT NOT NULL,"
                    + " base_image TEXT, logged_at TEXT NOT NULL, PRIMARY KEY (upload_number, tbl, pk)) STRICT",
            // Downloaded rows the remote's own constraints refused (issue 10, defect 1): kept out, shown as
            // errors, asked for again by every sync until one applies (docs/GUARANTEES.md).
            "CREATE TABLE IF NOT EXISTS ferry_download_blocked (tbl TEXT NOT NULL, pk TEXT NOT NULL, error_code TEXT NOT NULL,"
                    + " error_message TEXT, PRIMARY KEY (tbl, pk)) STRICT",
            // Server versions a download passed over for a local change or error (SkippedDownloads): asked for
            // again once the local entry is gone, so an unsent local change never hides the server's row for good.
            "CREATE TABLE IF NOT EXISTS ferry_download_skipped (tbl TEXT NOT NULL, pk TEXT NOT NULL, PRIMARY KEY (tbl, pk)) STRICT",
            // Key ranges the server handed this remote (docs/SCHEMAS.md "Keys created offline"); never deleted.
            "CREATE TABLE IF NOT EXISTS ferry_key_range (tbl TEXT NOT NULL, range_first INTEGER NOT NULL, range_last INTEGER NOT NULL,"
                    + " next_key INTEGER NOT NULL, PRIMARY KEY (tbl, range_first)) STRICT",
            SqliteKeyRanges.NEXT_KEY_VIEW,
            // Rows a REPLACE is about to delete, copied by the BEFORE triggers (SqliteTrackingTriggers); empty between writes.
            "CREATE TABLE IF NOT EXISTS ferry_replacing (tbl TEXT NOT NULL, pk TEXT NOT NULL, image TEXT NOT NULL,"
                    + " PRIMARY KEY (tbl, pk)) STRICT");

    private SqliteStateTables() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : TABLES) {
                s.execute(ddl);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_state (id, created_at)"
                + " SELECT 1, ? WHERE NOT EXISTS (SELECT 1 FROM ferry_state WHERE id = 1)")) {
            ps.setString(1, Values.format(FerryType.TIMESTAMPTZ, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS)));
            ps.executeUpdate();
        }
    }

    /**
     * {@code ferry_row_state(table_name, pk, state, error_code, error_message)}: each row of each
     * synchronized table that has no pending row and no blocked download, as {@code synced}; then every
     * pending row; then every blocked download without a pending row, as {@code error}.
     */
    static void createRowStateView(Connection c, SyncSchema schema) throws SQLException {
        List<String> selects = new ArrayList<>();
        for (TableDef t : schema.tables()) {
            String tbl = SqlText.literal(t.name());
            String key = SqliteRowSql.keyText(t, "t");
            selects.add("SELECT " + tbl + ", " + key + ", 'synced', NULL, NULL FROM " + SqlText.identifier(t.name(), 0)
                    + " AS t WHERE NOT EXISTS (SELECT 1 FROM ferry_pending AS p WHERE p.tbl = " + tbl + " AND p.pk = " + key + ")"
                    + " AND NOT EXISTS (SELECT 1 FROM ferry_download_blocked b WHERE b.tbl = " + tbl + " AND b.pk = " + key + ")");
        }
        selects.add("SELECT tbl, pk, state, error_code, error_message FROM ferry_pending");
        selects.add("SELECT b.tbl, b.pk, 'error', b.error_code, b.error_message FROM ferry_download_blocked b"
                + " WHERE NOT EXISTS (SELECT 1 FROM ferry_pending p WHERE p.tbl = b.tbl AND p.pk = b.pk)");
        try (Statement s = c.createStatement()) {
            s.execute("DROP VIEW IF EXISTS ferry_row_state");
            s.execute("CREATE VIEW ferry_row_state (table_name, pk, state, error_code, error_message) AS\n"
                    + String.join("\nUNION ALL\n", selects));
        }
    }
}
