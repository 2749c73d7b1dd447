package dev.ferry.server.download;

import dev.ferry.core.schema.TableDef;
import dev.ferry.protocol.SyncResponseWriter;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.consolidated.Tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Streams one remote's download from a single consistent snapshot: upserts table by table parents
 * first, then deletes in reverse order, so a remote that enforces foreign keys can apply them in the
 * order received. Rows this remote uploaded in this session are left out unless the consolidated row
 * now differs from what was uploaded (seeds 003, 004). Rows stream from the database cursor to the
 * HTTP response; nothing is collected in memory.
 */
public final class DownloadWriter {
    private static final int FETCH = 1_000;
    private final ConsolidatedDatabase db;
    private final Tracking tracking;
    private final Map<String, TableSql> sql;

    public DownloadWriter(ConsolidatedDatabase db, Tracking tracking, Map<String, TableSql> sql) {
        this.db = db;
        this.tracking = tracking;
        this.sql = sql;
    }

    /**
     * @param after       the remote's last download position (0 = it has nothing: send every row)
     * @param everyDelete with {@code after = 0}, also send every recorded delete, for a receiver that
     *                    may hold rows already (a full download file applied to an existing remote)
     * @param extra       keys sent whatever their position ({@link ExtraKeys}), read in the same snapshot
     * @return the position the remote now has everything up to
     */
    public long write(long after, boolean everyDelete, UploadedRows uploaded, Map<TableDef, ExtraKeys> extra, SyncResponseWriter out)
            throws SQLException {
        try (Connection c = db.connection()) {
            // One snapshot for every table, on every database: parents and children read at the same moment.
            db.dialect().beginSnapshotRead(c);
            try {
                // The first read of the snapshot: everything stamped up to this position is visible in it.
                long upTo = ChangeClock.read(c);
                for (TableDef t : tracking.tables()) {
                    TableSql ts = sql.get(t.name());
                    boolean full = after == 0;
                    boolean begun = false;
                    try (PreparedStatement ps = c.prepareStatement(full ? ts.selectAll() : ts.selectChanged())) {
                        ps.setFetchSize(FETCH);
                        if (!full) {
                            ps.setLong(1, after);
                            ps.setLong(2, upTo);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                Object[] row = ts.readRow(rs);
                                if (uploaded.uploadedSame(t, row)) {
                                    continue;
                                }
                                if (!begun) {
                                    out.beginTable(t);
                                    begun = true;
                                }
                                out.upsert(row);
                            }
                        }
                    }
                    ExtraKeys more = extra.get(t);
                    if (more != null) {
                        begun = sendCurrent(c, ts, more.refetched(), begun, out);
                        sendCurrent(c, ts, more.rejected(), begun, out);
                    }
                }
                if (after > 0 || everyDelete) {
                    List<TableDef> reversed = new ArrayList<>(tracking.tables());
                    Collections.reverse(reversed);
                    for (TableDef t : reversed) {
                        TableSql ts = sql.get(t.name());
                        try (PreparedStatement ps = c.prepareStatement(ts.selectDeleted())) {
                            ps.setFetchSize(FETCH);
                            ps.setLong(1, after);
                            ps.setLong(2, upTo);
                            boolean begun = false;
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    Object[] key = ts.readKey(rs);
                                    if (uploaded.uploadedDelete(t, key)) {
                                        continue;
                                    }
                                    if (!begun) {
                                        out.beginTable(t);
                                        begun = true;
                                    }
                                    out.delete(key);
                                }
                            }
                        }
                    }
                }
                sendRefetchedDeletes(c, extra, out);
                c.commit();
                return Math.max(upTo, after);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Upserts the current row of each key that exists; returns whether the table's section has begun. */
    private boolean sendCurrent(Connection c, TableSql ts, List<Object[]> keys, boolean begun, SyncResponseWriter out) throws SQLException {
        if (keys.isEmpty()) {
            return begun;
        }
        try (PreparedStatement ps = c.prepareStatement(ts.selectRow())) {
            for (Object[] key : keys) {
                ts.bindKey(ps, 1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        if (!begun) {
                            out.beginTable(ts.table());
                            begun = true;
                        }
                        out.upsert(ts.readRow(rs));
                    }
                }
            }
        }
        return begun;
    }

    /** A refetched key the server no longer has arrives as a delete, children first like every delete. */
    private void sendRefetchedDeletes(Connection c, Map<TableDef, ExtraKeys> extra, SyncResponseWriter out) throws SQLException {
        List<TableDef> reversed = new ArrayList<>(tracking.tables());
        Collections.reverse(reversed);
        for (TableDef t : reversed) {
            ExtraKeys more = extra.get(t);
            if (more == null || more.refetched().isEmpty()) {
                continue;
            }
            TableSql ts = sql.get(t.name());
            boolean begun = false;
            try (PreparedStatement ps = c.prepareStatement(ts.selectRow())) {
                for (Object[] key : more.refetched()) {
                    ts.bindKey(ps, 1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                    if (!begun) {
                        out.beginTable(t);
                        begun = true;
                    }
                    out.delete(key);
                }
            }
        }
    }
}
