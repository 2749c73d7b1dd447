package dev.ferry.server.download;

import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.protocol.SyncResponseWriter;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.partition.FilterSql;
import dev.ferry.server.partition.Holdings;
import dev.ferry.server.partition.PartitionSql;
import dev.ferry.server.partition.RemotePartition;
import dev.ferry.server.partition.TablePartition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One filtered table of one remote's download, inside the download's snapshot (docs/PARTITIONS.md,
 * "How a download finds a remote's share"). Incremental when nothing but the table itself changed:
 * rows in the filter changed since the last download, plus keys whose holdings are unknown. The
 * filter is re-evaluated instead on a first download, after a change to the remote's parameters, or
 * after a change to any other table the filter reads: then every row in the filter the remote is not
 * known to hold, and every held row that left. Deletes go only for keys the remote holds (or may
 * hold): the key of a row it never had is never sent. Use once.
 */
final class FilteredTableDownload {
    private final Connection c;
    private final ConsolidatedDialect dialect;
    private final TablePartition tp;
    private final TableSql ts;
    private final PartitionSql sql;
    private final FilterSql filter;
    private final RemotePartition remote;
    private final long after;
    private final long upTo;
    private final EchoFilter echo;
    private final Holdings holdings;
    private final SyncResponseWriter out;
    private final boolean reevaluate;
    private final List<Object[]> extraDeletes = new ArrayList<>();

    FilteredTableDownload(Connection c, ConsolidatedDialect dialect, TablePartition tp, RemotePartition remote, long after, long upTo,
                          EchoFilter echo, Holdings holdings, SyncResponseWriter out) throws SQLException {
        this.c = c;
        this.dialect = dialect;
        this.tp = tp;
        this.ts = tp.table();
        this.sql = tp.sql();
        this.filter = tp.filter();
        this.remote = remote;
        this.after = after;
        this.upTo = upTo;
        this.echo = echo;
        this.holdings = holdings;
        this.out = out;
        this.reevaluate = after == 0 || remote.paramsPosition() > after || readTablesChanged();
    }

    private boolean readTablesChanged() throws SQLException {
        for (String shadow : tp.readsShadows()) {
            try (PreparedStatement ps = c.prepareStatement(PartitionSql.anyChange(dialect, shadow))) {
                ps.setLong(1, after);
                ps.setLong(2, upTo);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    void upserts(ExtraKeys extra) throws SQLException {
        boolean[] begun = {false};
        if (reevaluate) {
            rows(sql.upsertsNotKnownHeld(), begun, ps -> {
                int i = bindFilter(ps, 1);
                ps.setString(i++, remote.remoteId());
                ps.setLong(i, after);
            });
            if (after > 0) {
                rows(sql.upsertsChangedKnownHeld(), begun, ps -> {
                    int i = bindFilter(ps, 1);
                    ps.setLong(i++, after);
                    ps.setLong(i++, upTo);
                    ps.setString(i++, remote.remoteId());
                    ps.setLong(i, after);
                });
            }
        } else {
            rows(sql.upsertsChanged(), begun, ps -> {
                int i = bindFilter(ps, 1);
                ps.setLong(i++, after);
                ps.setLong(i, upTo);
            });
            rows(sql.upsertsUnknown(), begun, ps -> {
                int i = bindFilter(ps, 1);
                ps.setString(i++, remote.remoteId());
                ps.setLong(i++, after);
                ps.setLong(i++, after);
                ps.setLong(i, upTo);
            });
        }
        if (extra != null) {
            // Keys the remote named itself: its row if in its partition, else a delete (no key leaks: the remote sent it).
            List<Object[]> keys = new ArrayList<>(extra.refetched());
            keys.addAll(extra.rejected());
            try (PreparedStatement ps = c.prepareStatement(sql.rowInFilter())) {
                for (Object[] key : keys) {
                    int i = ts.bindKey(ps, 1, key);
                    bindFilter(ps, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            send(ts.readRow(rs), null, begun);
                        } else {
                            extraDeletes.add(key);
                        }
                    }
                }
            }
        }
    }

    void deletes() throws SQLException {
        boolean[] begun = {false};
        if (reevaluate) {
            keys(sql.leftHeld(), begun, ps -> {
                ps.setString(1, remote.remoteId());
                ps.setLong(2, after);
                bindFilter(ps, 3);
            });
        } else {
            keys(sql.leftUnknown(), begun, ps -> {
                ps.setString(1, remote.remoteId());
                ps.setLong(2, after);
                bindFilter(ps, 3);
            });
            keys(sql.leftChangedHeld(), begun, ps -> {
                ps.setString(1, remote.remoteId());
                ps.setLong(2, after);
                ps.setLong(3, upTo);
                ps.setLong(4, after);
                bindFilter(ps, 5);
            });
        }
        for (Object[] key : extraDeletes) {
            delete(key, null, begun);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int bindFilter(PreparedStatement ps, int index) throws SQLException {
        return remote.bind(dialect, ps, index, filter, ts.table().name());
    }

    private void rows(String query, boolean[] begun, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setFetchSize(DownloadWriter.FETCH);
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                int originColumn = ts.table().columns().size() + 1;
                while (rs.next()) {
                    send(ts.readRow(rs), rs.getString(originColumn), begun);
                }
            }
        }
    }

    /** Records the row as held, and sends it unless it is the remote's own echo ({@code origin} null: sent). */
    private void send(Object[] row, String origin, boolean[] begun) throws SQLException {
        TableDef t = ts.table();
        holdings.held(tp, t.keyOf(row));
        if (echo.isEcho(origin)) {
            return;
        }
        if (!begun[0]) {
            out.beginTable(t);
            begun[0] = true;
        }
        out.upsert(row);
    }

    private void keys(String query, boolean[] begun, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setFetchSize(DownloadWriter.FETCH);
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                int originColumn = ts.table().keyColumns().size() + 1;
                while (rs.next()) {
                    delete(ts.readKey(rs), rs.getString(originColumn), begun);
                }
            }
        }
    }

    private void delete(Object[] key, String origin, boolean[] begun) throws SQLException {
        holdings.notHeld(tp, key);
        if (echo.isEcho(origin)) {
            return;
        }
        if (!begun[0]) {
            out.beginTable(ts.table());
            begun[0] = true;
        }
        out.delete(key);
    }
}
