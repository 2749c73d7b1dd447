package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.RemoteDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DownloadRows} on a real SQLite remote, where downloaded writes go in batches. */
class DownloadRowsTest {
    private static final TableDef PARENT = new TableDef("parent", List.of(ColumnDef.of("id", FerryType.BIGINT, false)), List.of("id"), List.of());
    private static final TableDef CHILD = new TableDef("child", List.of(ColumnDef.of("id", FerryType.BIGINT, false),
            ColumnDef.of("parent_id", FerryType.BIGINT, false)), List.of("id"),
            List.of(new ForeignKeyDef("child_parent", List.of("parent_id"), "parent", List.of("id"))));

    @TempDir
    Path dir;
    private Connection c;
    private RemoteDialect dialect;
    private RemoteTables tables;

    @BeforeEach
    void open() throws SQLException {
        String url = Dialects.remoteUrl(dir.resolve("remote.db").toString());
        dialect = Dialects.remote(url);
        c = DriverManager.getConnection(url);
        dialect.configure(c);
        c.setAutoCommit(false);
        dialect.createTable(c, PARENT);
        dialect.createTable(c, CHILD);
        dialect.installTracking(c, SyncSchema.of(List.of(PARENT, CHILD)));
        c.commit();
        tables = RemoteTables.load(c);
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    /**
     * A download may carry the same key twice (a delete since the last download, and the same key
     * asked for again and gone on the server). When local rows still reference it, the first delete
     * marks it blocked; the second must see that mark, also when both were in one batch replayed row
     * by row, and not record it a second time (which failed the whole download).
     */
    @Test
    void aDeleteTheRemoteRefusesTwiceInOneDownloadIsMarkedBlockedOnce() throws SQLException {
        execute("INSERT INTO parent (id) VALUES (1), (2)");
        execute("DELETE FROM ferry_pending");
        c.commit();
        execute("INSERT INTO child (id, parent_id) VALUES (10, 1)");
        c.commit();

        DownloadRows rows = downloadRows();
        rows.begin();
        rows.delete(PARENT, new Object[]{1L});
        rows.delete(PARENT, new Object[]{2L});
        rows.delete(PARENT, new Object[]{1L});
        rows.commit(7, "2026-12-03T00:00:00Z");

        assertThat(query("SELECT id FROM parent")).containsExactly("1");
        assertThat(query("SELECT tbl || ' ' || pk || ' ' || state || ' ' || error_code FROM ferry_pending WHERE tbl = 'parent'"))
                .containsExactly("parent [1] error " + ErrorCode.ROW_DELETE_BLOCKED.name());
        assertThat(query("SELECT tbl || ' ' || pk || ' ' || state FROM ferry_pending WHERE tbl = 'child'")).containsExactly("child [10] inserted");
    }

    private DownloadRows downloadRows() {
        Map<String, TableCounts> counts = new HashMap<>();
        for (TableDef t : List.of(PARENT, CHILD)) {
            counts.put(t.name(), new TableCounts(t.name(), 0, 0, 0, 0));
        }
        return new DownloadRows(c, dialect, tables, new PendingRows(dialect, tables), "r1", DownloadRows.LocalChangeRule.KEEP_LOCAL,
                SyncListener.NONE, counts);
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
