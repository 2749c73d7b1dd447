package dev.ferry.client;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DownloadBatchTest {
    private static final TableDef T = new TableDef("t", List.of(ColumnDef.of("id", FerryType.BIGINT, false), ColumnDef.of("v", FerryType.BIGINT, true)),
            List.of("id"), List.of());

    private Connection c;
    private final List<Long> applied = new ArrayList<>();
    private final List<Long> replayed = new ArrayList<>();
    private final List<Long> refused = new ArrayList<>();

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER CHECK (v >= 0))");
        }
        c.setAutoCommit(false);
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private DownloadBatch batch() {
        return new DownloadBatch(c, new DownloadBatch.Rows() {
            @Override
            public void applied(TableDef t, Object[] row, boolean upsert, int updateCount) {
                applied.add((Long) row[0]);
            }

            @Override
            public void replay(TableDef t, Object[] row, boolean upsert) throws SQLException {
                replayed.add((Long) row[0]);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                    ps.setLong(1, (Long) row[0]);
                    ps.setLong(2, (Long) row[1]);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    refused.add((Long) row[0]);
                }
            }
        });
    }

    private static void bind(PreparedStatement ps, TableDef t, Object[] row) throws SQLException {
        ps.setLong(1, (Long) row[0]);
        ps.setLong(2, (Long) row[1]);
    }

    @Test
    void aBatchWithARefusedRowIsUndoneAndReplayedRowByRowSoTheOthersApply() throws SQLException {
        DownloadBatch b = batch();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
            for (long id = 1; id <= 5; id++) {
                b.add(T, true, ps, new Object[]{id, id == 3 ? -1L : id}, DownloadBatchTest::bind);
            }
            b.flush();
        }
        assertThat(applied).isEmpty();
        assertThat(replayed).as("every row of the failed batch, in order, each once").containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(refused).as("the rows before the refused one were undone first, so only it fails again").containsExactly(3L);
        assertThat(ids()).containsExactly(1L, 2L, 4L, 5L);
    }

    @Test
    void batchesFlushAtTheirSizeAndWhenTheStatementChanges() throws SQLException {
        DownloadBatch b = batch();
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO t VALUES (?, ?)");
             PreparedStatement del = c.prepareStatement("DELETE FROM t WHERE id = ? AND v = ?")) {
            for (long id = 1; id <= DownloadBatch.SIZE + 1; id++) {
                b.add(T, true, ins, new Object[]{id, 0L}, DownloadBatchTest::bind);
            }
            assertThat(applied).as("one full batch ran").hasSize(DownloadBatch.SIZE);
            b.add(T, false, del, new Object[]{1L, 0L}, DownloadBatchTest::bind);
            assertThat(applied).as("the pending insert ran before the delete was batched").hasSize(DownloadBatch.SIZE + 1);
            b.flush();
        }
        assertThat(replayed).isEmpty();
        assertThat(ids()).hasSize(DownloadBatch.SIZE).doesNotContain(1L);
    }

    private List<Long> ids() throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM t ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
