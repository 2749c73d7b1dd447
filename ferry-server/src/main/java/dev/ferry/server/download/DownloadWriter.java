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
     * @return the position the remote now has everything up to
     */
    public long write(long after, boolean everyDelete, UploadedRows uploaded, SyncResponseWriter out) throws SQLException {
        try (Connection c = db.connection()) {
            // One snapshot for every table, on every database: parents and children read at the same moment.
            db.dialect().beginSnapshotRead(c);
            try {
                long upTo = readClock(c);
                for (TableDef t : tracking.tables()) {
                    TableSql ts = sql.get(t.name());
                    boolean full = after == 0;
                    try (PreparedStatement ps = c.prepareStatement(full ? ts.selectAll() : ts.selectChanged())) {
                        ps.setFetchSize(FETCH);
                        if (!full) {
                            ps.setLong(1, after);
                            ps.setLong(2, upTo);
                        }
                        boolean begun = false;
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
                c.commit();
                return Math.max(upTo, after);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The first read of the snapshot: everything stamped up to this position is visible in it. */
    private static long readClock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT position FROM ferry_clock WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
