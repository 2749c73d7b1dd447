package dev.ferry.server.upload;

import dev.ferry.core.schema.TableDef;
import dev.ferry.protocol.UploadRow;
import dev.ferry.server.consolidated.TableSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The consolidated rows a chunk of the upload is about to change, read with {@code FOR UPDATE} in one
 * statement: what conflict detection compares each uploaded old image against. Holding the locks until
 * commit means no other writer can slip a change in between the comparison and the write.
 */
final class CurrentRows {
    private final TableSql sql;
    private final Map<KeyText, Object[]> byKey = new HashMap<>();

    private CurrentRows(TableSql sql) {
        this.sql = sql;
    }

    static CurrentRows lock(Connection c, TableSql sql, List<UploadRow> rows) throws SQLException {
        CurrentRows current = new CurrentRows(sql);
        TableDef t = sql.table();
        try (PreparedStatement ps = c.prepareStatement(sql.lockRows(rows.size()))) {
            int index = 1;
            for (UploadRow r : rows) {
                index = sql.bindKey(ps, index, t.keyOf(r.image()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = sql.readRow(rs);
                    current.byKey.put(current.keyPrint(t.keyOf(row)), row);
                }
            }
        }
        return current;
    }

    /** The current row with this key, or null when there is none. */
    Object[] get(Object[] key) {
        return byKey.get(keyPrint(key));
    }

    private KeyText keyPrint(Object[] key) {
        return KeyText.of(sql.table().keyColumns(), key);
    }
}
