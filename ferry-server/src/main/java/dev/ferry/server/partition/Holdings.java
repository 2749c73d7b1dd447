package dev.ferry.server.partition;

import dev.ferry.server.consolidated.TableSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one download (or download file) sent a remote of its filtered tables: each key as held (an
 * upsert) or not held (a delete), recorded after the download at the download's position. A record
 * past the remote's acknowledged last download is <em>unknown</em> (the download may have been lost)
 * and its current truth is sent again next time; one at or below it is <em>known</em>
 * (docs/PARTITIONS.md, "The holdings table"). Not thread-safe; one per download.
 */
public final class Holdings {
    private record Entry(Object[] key, boolean held) {
    }

    private final Map<TablePartition, List<Entry>> sent = new LinkedHashMap<>();

    public void held(TablePartition t, Object[] key) {
        sent.computeIfAbsent(t, k -> new ArrayList<>()).add(new Entry(key, true));
    }

    public void notHeld(TablePartition t, Object[] key) {
        sent.computeIfAbsent(t, k -> new ArrayList<>()).add(new Entry(key, false));
    }

    public boolean isEmpty() {
        return sent.isEmpty();
    }

    /** Writes the records at {@code position} in {@code c}'s transaction (delete, then insert each key). */
    public void write(Connection c, String remoteId, long position) throws SQLException {
        for (Map.Entry<TablePartition, List<Entry>> e : sent.entrySet()) {
            TableSql ts = e.getKey().table();
            PartitionSql sql = e.getKey().sql();
            try (PreparedStatement del = c.prepareStatement(sql.deleteHoldings()); PreparedStatement ins = c.prepareStatement(sql.insertHoldings())) {
                int pending = 0;
                for (Entry h : e.getValue()) {
                    del.setString(1, remoteId);
                    ts.bindKey(del, 2, h.key());
                    del.addBatch();
                    ins.setString(1, remoteId);
                    int i = ts.bindKey(ins, 2, h.key());
                    ins.setInt(i, h.held() ? 1 : 0);
                    ins.setLong(i + 1, position);
                    ins.addBatch();
                    if (++pending == 500) {
                        del.executeBatch();
                        ins.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    del.executeBatch();
                    ins.executeBatch();
                }
            }
        }
    }

    /** Whether the remote's holdings say it holds the key (held, known or unknown). */
    public static boolean holds(Connection c, TablePartition t, String remoteId, Object[] key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(t.sql().holdsRow())) {
            ps.setString(1, remoteId);
            t.table().bindKey(ps, 2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    /** Makes the key held and unknown, so the next download sends its truth (a delete for a row outside the partition). */
    public static void markUnknown(Connection c, TablePartition t, String remoteId, Object[] key) throws SQLException {
        Holdings h = new Holdings();
        h.held(t, key);
        h.write(c, remoteId, Long.MAX_VALUE);
    }

    /** Drops the remote's not-held records it has acknowledged (position at or below {@code acknowledged}). */
    public static void purge(Connection c, PartitionView view, String remoteId, long acknowledged) throws SQLException {
        for (TablePartition t : view.tables().values()) {
            if (t.filtered()) {
                try (PreparedStatement ps = c.prepareStatement(t.sql().purge())) {
                    ps.setString(1, remoteId);
                    ps.setLong(2, acknowledged);
                    ps.executeUpdate();
                }
            }
        }
    }
}
