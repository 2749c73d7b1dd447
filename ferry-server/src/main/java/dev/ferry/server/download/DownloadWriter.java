package dev.ferry.server.download;

import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.jdbc.JdbcTransaction;
import dev.ferry.protocol.SyncResponseWriter;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.partition.Holdings;
import dev.ferry.server.partition.PartitionParameters;
import dev.ferry.server.partition.PartitionView;
import dev.ferry.server.partition.RemotePartition;
import dev.ferry.server.partition.TablePartition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams one remote's download from a single consistent snapshot: upserts table by table parents
 * first, then deletes in reverse order, so a remote that enforces foreign keys can apply them in the
 * order received. Rows whose last change is this remote's own upload are left out ({@link EchoFilter},
 * seeds 003, 004). Rows stream from the database cursor to the
 * HTTP response; nothing is collected in memory but the keys of filtered tables sent, recorded in
 * the holdings tables after the snapshot ({@link FilteredTableDownload}, docs/PARTITIONS.md).
 * Upload-only tables are never downloaded.
 */
public final class DownloadWriter {
    static final int FETCH = 1_000;
    private final ConsolidatedDatabase db;
    private final PartitionView everything;

    /** A writer for a server without publications. */
    public DownloadWriter(ConsolidatedDatabase db, dev.ferry.server.consolidated.Tracking tracking, Map<String, TableSql> sql) {
        this(db, PartitionView.everything(tracking, sql));
    }

    /** @param everything the view of a remote without publications: every table, unfiltered */
    public DownloadWriter(ConsolidatedDatabase db, PartitionView everything) {
        this.db = db;
        this.everything = everything;
    }

    /** {@link #write(PartitionView, String, long, boolean, EchoFilter, Map, SyncResponseWriter)} of every table, unfiltered. */
    public long write(long after, boolean everyDelete, EchoFilter echo, Map<TableDef, ExtraKeys> extra, SyncResponseWriter out)
            throws SQLException {
        return write(everything, null, after, everyDelete, echo, extra, out);
    }

    /**
     * @param view        the tables and partitions the remote subscribed to
     * @param remoteId    the remote served; may be null only when {@code view} has no filtered table
     * @param after       the remote's last download position (0 = it has nothing: send every row)
     * @param everyDelete with {@code after = 0}, also send every recorded delete, for a receiver that
     *                    may hold rows already (a full download file applied to an existing remote)
     * @param echo        whose own uploads are left out ({@link EchoFilter#NONE} for a download file)
     * @param extra       keys sent whatever their position ({@link ExtraKeys}), read in the same snapshot
     * @return the position the remote now has everything up to
     */
    public long write(PartitionView view, String remoteId, long after, boolean everyDelete, EchoFilter echo, Map<TableDef, ExtraKeys> extra,
                      SyncResponseWriter out) throws SQLException {
        Holdings holdings = new Holdings();
        long position;
        try (Connection c = db.connection()) {
            // One snapshot for every table, on every database: parents and children read at the same moment.
            db.dialect().beginSnapshotRead(c);
            try {
                // The first read of the snapshot: everything stamped up to this position is visible in it.
                long upTo = ChangeClock.read(c);
                RemotePartition remote = view.anyFiltered() ? PartitionParameters.read(c, remoteId, view) : null;
                Map<String, FilteredTableDownload> filtered = new LinkedHashMap<>();
                for (TableDef t : view.schema()) {
                    TablePartition tp = view.partition(t.name());
                    if (!tp.direction().downloads()) {
                        continue;
                    }
                    if (tp.filtered()) {
                        FilteredTableDownload f = new FilteredTableDownload(c, db.dialect(), tp, remote, after, upTo, echo, holdings, out);
                        filtered.put(t.name(), f);
                        f.upserts(extra.get(t));
                        continue;
                    }
                    TableSql ts = tp.table();
                    boolean full = after == 0;
                    boolean begun = false;
                    boolean fullButEchoes = full && echo.filtersFullDownload();
                    try (PreparedStatement ps = c.prepareStatement(fullButEchoes ? ts.selectAllButEchoes() : full ? ts.selectAll() : ts.selectChanged())) {
                        ps.setFetchSize(FETCH);
                        if (fullButEchoes) {
                            ps.setString(1, echo.bound());
                        } else if (!full) {
                            ps.setLong(1, after);
                            ps.setLong(2, upTo);
                            ps.setString(3, echo.bound());
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                Object[] row = ts.readRow(rs);
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
                List<TableDef> reversed = new ArrayList<>(view.schema());
                Collections.reverse(reversed);
                for (TableDef t : reversed) {
                    FilteredTableDownload f = filtered.get(t.name());
                    if (f != null) {
                        f.deletes();
                        continue;
                    }
                    TablePartition tp = view.partition(t.name());
                    if (!tp.direction().downloads() || !(after > 0 || everyDelete)) {
                        continue;
                    }
                    TableSql ts = tp.table();
                    try (PreparedStatement ps = c.prepareStatement(ts.selectDeleted())) {
                        ps.setFetchSize(FETCH);
                        ps.setLong(1, after);
                        ps.setLong(2, upTo);
                        ps.setString(3, echo.bound());
                        boolean begun = false;
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                Object[] key = ts.readKey(rs);
                                if (!begun) {
                                    out.beginTable(t);
                                    begun = true;
                                }
                                out.delete(key);
                            }
                        }
                    }
                }
                sendRefetchedDeletes(c, view, extra, out);
                c.commit();
                position = Math.max(upTo, after);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        if (!holdings.isEmpty()) {
            recordHoldings(remoteId, holdings, position);
        }
        return position;
    }

    /**
     * Records what was sent, after the snapshot and before the response ends. Should the response be lost,
     * the records are past the remote's last download, so unknown: the next download sends their truth
     * again. Replaces what an earlier download recorded for the same keys.
     */
    private void recordHoldings(String remoteId, Holdings holdings, long position) {
        try (Connection c = db.connection()) {
            JdbcTransaction.run(c, () -> holdings.write(c, remoteId, position));
        } catch (SQLException e) {
            throw SqlErrors.wrap("recording what remote " + remoteId + " was sent", db.dialect(), e);
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
    private void sendRefetchedDeletes(Connection c, PartitionView view, Map<TableDef, ExtraKeys> extra, SyncResponseWriter out) throws SQLException {
        List<TableDef> reversed = new ArrayList<>(view.schema());
        Collections.reverse(reversed);
        for (TableDef t : reversed) {
            ExtraKeys more = extra.get(t);
            TablePartition tp = view.partition(t.name());
            if (more == null || more.refetched().isEmpty() || tp.filtered() || !tp.direction().downloads()) {
                continue;
            }
            TableSql ts = tp.table();
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
