package dev.ferry.client;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.protocol.Absent;
import dev.ferry.protocol.ChangeOp;
import dev.ferry.protocol.SyncRequestHeader;
import dev.ferry.protocol.SyncRequestWriter;
import dev.ferry.protocol.UploadRow;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a sync request into a gzip temporary file, streaming rows from the remote database: the
 * marked (sent) pending rows, one section per table in foreign-key order, each with its new image
 * read from the table and its old image from {@code ferry_pending}. Memory stays bounded whatever
 * the upload's size. Runs inside the local transaction that marked the rows.
 */
final class UploadBuilder {
    private final RemoteDialect dialect;
    private final RemoteTables tables;
    private final PendingRows pending;

    UploadBuilder(RemoteDialect dialect, RemoteTables tables, PendingRows pending) {
        this.dialect = dialect;
        this.tables = tables;
        this.pending = pending;
    }

    /** @return rows written per table */
    Map<String, Long> write(Connection c, SyncRequestHeader header, Path file, boolean includeRows, Map<TableDef, List<Object[]>> refetch,
                            SyncListener listener) throws SQLException, IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16);
             SyncRequestWriter w = new SyncRequestWriter(out)) {
            w.header(header);
            if (includeRows) {
                for (TableDef t : tables.tables()) {
                    long n = writeTable(c, t, w, listener);
                    if (n > 0) {
                        counts.put(t.name(), n);
                    }
                }
            }
            w.finish(refetch);
        }
        return counts;
    }

    private long writeTable(Connection c, TableDef t, SyncRequestWriter w, SyncListener listener) throws SQLException {
        long n = 0;
        String select = "SELECT " + t.columns().stream().map(col -> dialect.quote(col.name())).collect(Collectors.joining(", "))
                + " FROM " + dialect.quote(t.name()) + " WHERE "
                + t.keyColumns().stream().map(k -> dialect.quote(k.name()) + " = " + dialect.placeholder(k)).collect(Collectors.joining(" AND "));
        try (PreparedStatement rows = c.prepareStatement("SELECT pk, state, old_image FROM ferry_pending WHERE tbl = ? AND sent_seq IS NOT NULL"
                + " ORDER BY change_seq");
             PreparedStatement current = c.prepareStatement(select)) {
            rows.setString(1, t.name());
            boolean begun = false;
            // Rows changed before a schema upgrade lack the columns added since: sent after the others, in
            // blocks that declare only the columns they carry (the server keeps its own values of the rest).
            Map<String, List<UploadRow>> partial = new LinkedHashMap<>();
            try (ResultSet rs = rows.executeQuery()) {
                while (rs.next()) {
                    String pk = rs.getString(1);
                    UploadRow row;
                    try {
                        row = toRow(t, pk, rs.getString(2), rs.getString(3), current);
                    } catch (FerryException e) {
                        pending.markLocalError(c, t.name(), pk, e.code().name(), e.getMessage());
                        continue;
                    }
                    if (row == null) {
                        continue;
                    }
                    if (row.lacksColumns()) {
                        partial.computeIfAbsent(carriedKey(row), k -> new ArrayList<>()).add(row);
                        continue;
                    }
                    if (!begun) {
                        w.beginTable(t);
                        begun = true;
                    }
                    w.row(row);
                    n++;
                    listener.uploaded(t.name(), n);
                }
            }
            for (List<UploadRow> group : partial.values()) {
                w.beginTable(t, carried(group.get(0)));
                for (UploadRow row : group) {
                    w.row(row);
                    n++;
                    listener.uploaded(t.name(), n);
                }
            }
        }
        return n;
    }

    private static boolean[] carried(UploadRow row) {
        Object[] image = row.oldValues() != null ? row.oldValues() : row.newValues();
        boolean[] carried = new boolean[image.length];
        for (int i = 0; i < image.length; i++) {
            carried[i] = image[i] != Absent.VALUE;
        }
        return carried;
    }

    private static String carriedKey(UploadRow row) {
        return java.util.Arrays.toString(carried(row));
    }

    private UploadRow toRow(TableDef t, String pk, String state, String oldImage, PreparedStatement current) throws SQLException {
        Object[] old = oldImage == null ? null : ImageJson.image(t, oldImage, Absent.VALUE);
        if (state.equals("deleted")) {
            return old == null ? null : new UploadRow(ChangeOp.DELETE, null, old);
        }
        Object[] key = ImageJson.key(t, pk);
        int idx = 1;
        for (int i = 0; i < key.length; i++) {
            ColumnDef k = t.keyColumns().get(i);
            dialect.bind(current, idx++, k, key[i]);
        }
        Object[] now = null;
        try (ResultSet rs = current.executeQuery()) {
            if (rs.next()) {
                now = new Object[t.columns().size()];
                for (int i = 0; i < now.length; i++) {
                    now[i] = dialect.read(rs, i + 1, t.columns().get(i));
                }
            }
        }
        if (now == null) {
            // Tracked as present but gone: only possible if tracking was bypassed; treat as a delete.
            return old == null ? null : new UploadRow(ChangeOp.DELETE, null, old);
        }
        if (old != null && Absent.any(old)) {
            // Changed under the schema before an upgrade: the columns added since are not the application's change.
            for (int i = 0; i < old.length; i++) {
                if (old[i] == Absent.VALUE) {
                    now[i] = Absent.VALUE;
                }
            }
        }
        return old == null ? new UploadRow(ChangeOp.INSERT, now, null) : new UploadRow(ChangeOp.UPDATE, now, old);
    }
}
