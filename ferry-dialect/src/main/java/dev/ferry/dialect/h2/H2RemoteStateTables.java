package dev.ferry.dialect.h2;

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
import java.util.function.Function;

/**
 * Ferry's remote system objects in H2 (docs/STATE-TABLES.md, "Remote database"), created if missing:
 * {@code ferry_state} (one row, {@code id = 1}), {@code ferry_table}, {@code ferry_column},
 * {@code ferry_pending}, the sequence {@code ferry_change_seq}, the function {@code ferry_key_text}
 * and the {@code ferry_row_state} view (re-created on every install because it names every
 * synchronized table). Names are unquoted, so they follow the database's identifier case like any SQL
 * an application writes. Same column types as SQLite where it matters to a client: times in
 * {@code ferry_state} are ISO-8601 UTC text ending in Z, flags ({@code applying}, {@code nullable})
 * are INTEGER 0/1.
 */
final class H2RemoteStateTables {
    private static final List<String> OBJECTS = List.of(
            "CREATE TABLE IF NOT EXISTS ferry_state ("
                    + "id INTEGER PRIMARY KEY CHECK (id = 1), remote_id VARCHAR, server_url VARCHAR, user_name VARCHAR,"
                    + " credential VARCHAR, consolidated_id VARCHAR, progress BIGINT DEFAULT 0 NOT NULL, pending_upload BIGINT, pending_upload_id VARCHAR,"
                    + " last_download BIGINT DEFAULT 0 NOT NULL, last_download_time VARCHAR, last_upload_time VARCHAR,"
                    + " change_counter BIGINT DEFAULT 0 NOT NULL, upload_log_since BIGINT DEFAULT 1 NOT NULL, upload_log_days INTEGER DEFAULT 30 NOT NULL,"
                    + " applying INTEGER DEFAULT 0 NOT NULL CHECK (applying IN (0, 1)), created_at VARCHAR NOT NULL,"
                    // How the application tables are named (H2RemoteNames); remotes made before lack the column.
                    + " identifier_case VARCHAR)",
            "CREATE TABLE IF NOT EXISTS ferry_table (tbl VARCHAR PRIMARY KEY, position INTEGER NOT NULL)",
            "CREATE TABLE IF NOT EXISTS ferry_column (tbl VARCHAR NOT NULL, col VARCHAR NOT NULL, position INTEGER NOT NULL,"
                    + " ferry_type VARCHAR NOT NULL, nullable INTEGER NOT NULL, length INTEGER, precision_ INTEGER,"
                    + " scale INTEGER, key_position INTEGER, PRIMARY KEY (tbl, col))",
            "CREATE TABLE IF NOT EXISTS ferry_pending (tbl VARCHAR NOT NULL, pk VARCHAR NOT NULL,"
                    + " state VARCHAR NOT NULL CHECK (state IN ('inserted', 'updated', 'deleted', 'error')),"
                    + " old_image VARCHAR, change_seq BIGINT NOT NULL, sent_seq BIGINT, sent_state VARCHAR, sent_image VARCHAR,"
                    + " error_code VARCHAR, error_message VARCHAR, PRIMARY KEY (tbl, pk))",
            // The rows of this remote's acknowledged uploads, with the server's version before each, kept for
            // upload_log_days: if the consolidated database loses uploads (a restore), they are sent again.
            "CREATE TABLE IF NOT EXISTS ferry_upload_log (upload_number BIGINT NOT NULL, tbl VARCHAR NOT NULL, pk VARCHAR NOT NULL,"
                    + " base_image VARCHAR, logged_at VARCHAR NOT NULL, PRIMARY KEY (upload_number, tbl, pk))",
            // Downloaded rows the remote's own constraints refused (issue 10, defect 1): kept out, shown as
            // errors, asked for again by every sync until one applies (docs/GUARANTEES.md).
            "CREATE TABLE IF NOT EXISTS ferry_download_blocked (tbl VARCHAR NOT NULL, pk VARCHAR NOT NULL, error_code VARCHAR NOT NULL,"
                    + " error_message VARCHAR, PRIMARY KEY (tbl, pk))",
            // Server versions a download passed over for a local change or error (SkippedDownloads): asked for
            // again once the local entry is gone, so an unsent local change never hides the server's row for good.
            "CREATE TABLE IF NOT EXISTS ferry_download_skipped (tbl VARCHAR NOT NULL, pk VARCHAR NOT NULL, PRIMARY KEY (tbl, pk))",
            // Key ranges the server handed this remote (docs/SCHEMAS.md "Keys created offline"); never deleted.
            "CREATE TABLE IF NOT EXISTS ferry_key_range (tbl VARCHAR NOT NULL, range_first BIGINT NOT NULL, range_last BIGINT NOT NULL,"
                    + " next_key BIGINT NOT NULL, PRIMARY KEY (tbl, range_first))",
            "CREATE SEQUENCE IF NOT EXISTS " + H2PendingRows.SEQUENCE + " START WITH 1",
            "CREATE ALIAS IF NOT EXISTS " + H2KeyTextFunction.NAME + " DETERMINISTIC FOR '"
                    + H2KeyTextFunction.class.getName() + ".keyText'");

    private H2RemoteStateTables() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : OBJECTS) {
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
    static void createRowStateView(Connection c, SyncSchema schema, Function<String, String> quote) throws SQLException {
        List<String> selects = new ArrayList<>();
        for (TableDef t : schema.tables()) {
            String tbl = SqlText.literal(t.name());
            String key = H2KeyTextFunction.call(t.keyColumns(), "t", quote);
            selects.add("SELECT CAST(" + tbl + " AS VARCHAR), " + key + ", CAST('synced' AS VARCHAR),"
                    + " CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR) FROM " + quote.apply(t.name())
                    + " t WHERE NOT EXISTS (SELECT 1 FROM ferry_pending p WHERE p.tbl = " + tbl + " AND p.pk = " + key + ")"
                    + " AND NOT EXISTS (SELECT 1 FROM ferry_download_blocked b WHERE b.tbl = " + tbl + " AND b.pk = " + key + ")");
        }
        selects.add("SELECT tbl, pk, state, error_code, error_message FROM ferry_pending");
        selects.add("SELECT b.tbl, b.pk, CAST('error' AS VARCHAR), b.error_code, b.error_message FROM ferry_download_blocked b"
                + " WHERE NOT EXISTS (SELECT 1 FROM ferry_pending p WHERE p.tbl = b.tbl AND p.pk = b.pk)");
        try (Statement s = c.createStatement()) {
            s.execute("DROP VIEW IF EXISTS ferry_row_state");
            s.execute("CREATE VIEW ferry_row_state (table_name, pk, state, error_code, error_message) AS\n"
                    + String.join("\nUNION ALL\n", selects));
        }
    }
}
