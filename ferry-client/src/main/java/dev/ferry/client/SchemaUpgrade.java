package dev.ferry.client;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.protocol.SchemaDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Brings a remote's tables to the schema the server now serves (docs/SCHEMAS.md, "Schema changes"),
 * keeping every pending change: tables the server added are created, columns it added are added
 * (their values arrive with the full download that follows: the download position goes back to 0),
 * columns it dropped are dropped (or left, unsynchronized, where the database refuses), and the
 * catalog, the tracking triggers and the recorded version follow. Pending changes stay in
 * {@code ferry_pending}; their old images lack the added columns, so they are uploaded without them
 * and the server keeps its own values there ({@code Absent}). Changes to a table the server no longer
 * synchronizes are dropped with a warning: nothing could take them. One local transaction on SQLite;
 * on H2, where DDL commits at once, every step can run again after a failure.
 */
final class SchemaUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaUpgrade.class);

    private SchemaUpgrade() {
    }

    static void apply(Connection c, RemoteDialect dialect, String remoteId, RemoteTables from, SchemaDocument to) throws SQLException {
        SyncSchema target = SyncSchema.of(to.tables());
        for (TableDef t : target.tables()) {
            TableDef old = from.find(t.name());
            if (old == null) {
                if (!LocalTables.exists(c, t.name())) {
                    dialect.createTable(c, t);
                } else {
                    // Left here untracked when the server stopped synchronizing it: what it holds may be stale
                    // (a delete made while it was out was never recorded), and the full download brings it whole.
                    try (java.sql.Statement s = c.createStatement()) {
                        s.executeUpdate("DELETE FROM " + dialect.quote(t.name()));
                    }
                }
                LOG.info("remote {}: schema upgrade: table {} added", remoteId, t.name());
                continue;
            }
            for (ColumnDef col : t.columns()) {
                if (old.columnIndex(col.name()) < 0) {
                    dialect.addColumn(c, t, col);
                    LOG.info("remote {}: schema upgrade: column {}.{} added", remoteId, t.name(), col.name());
                }
            }
            for (ColumnDef col : old.columns()) {
                if (t.columnIndex(col.name()) < 0) {
                    boolean dropped = dialect.dropColumn(c, old, col.name());
                    LOG.info("remote {}: schema upgrade: column {}.{} {}", remoteId, t.name(), col.name(),
                            dropped ? "dropped" : "no longer synchronized (the database refused to drop it; it stays as it is)");
                }
            }
        }
        for (TableDef old : from.tables()) {
            if (target.tables().stream().noneMatch(t -> t.name().equals(old.name()))) {
                int lost = forget(c, old.name());
                LOG.warn("remote {}: schema upgrade: the server no longer synchronizes table {}; it stays here as it is{}", remoteId, old.name(),
                        lost == 0 ? "" : ", and its " + lost + " unsent changes are dropped");
            }
        }
        dialect.installTracking(c, target);
        SchemaVersionRecord.write(c, to.version());
        // Every row again, the added columns' values with them; rows with a pending change keep the local
        // version as in any download, and their upload leaves the server's values of the added columns alone.
        RemoteState.update(c, "last_download = 0, last_download_time = NULL");
        dialect.commitDurably(c);
    }

    private static int forget(Connection c, String table) throws SQLException {
        int n = 0;
        for (String t : List.of("ferry_pending", "ferry_download_blocked", "ferry_download_skipped")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t + " WHERE tbl = ?")) {
                ps.setString(1, table);
                int deleted = ps.executeUpdate();
                if (t.equals("ferry_pending")) {
                    n = deleted;
                }
            }
        }
        return n;
    }
}
