package dev.ferry.server.upload;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.server.consolidated.TableSql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes one chunk of an upload decided on, run in upload order (a row may reference one inserted
 * just before it) with each run of the same statement sent as one JDBC batch. Where the capture
 * triggers tag origins ({@link ConsolidatedDialect#tagsOriginInTriggers}), the writes run with the
 * remote's origin set, so the rows they write are tagged as they are captured; {@link #writtenKeys}
 * tells {@link EchoTags} which rows to check.
 */
final class RowWrites {
    private enum Kind { INSERT, UPDATE, DELETE, TOUCH }

    private record Write(Kind kind, Object[] values) {
    }

    private final ConsolidatedDialect dialect;
    private final TableSql sql;
    private final List<Write> pending = new ArrayList<>();
    private final String origin;
    private final List<Object[]> written = new ArrayList<>();
    private final CycleClosings closings;

    /**
     * {@code origin}: the tag the triggers give the written rows, null for none (or when the triggers tag nothing);
     * {@code closings}: where a row's cycle-closing columns wait until the rows they reference are written.
     */
    RowWrites(ConsolidatedDialect dialect, TableSql sql, String origin, CycleClosings closings) {
        this.dialect = dialect;
        this.sql = sql;
        this.origin = dialect.tagsOriginInTriggers() ? origin : null;
        this.closings = closings;
    }

    /** Keys of the inserts, updates and deletes flushed so far (the triggers tagged them if an origin was set). */
    List<Object[]> writtenKeys() {
        return written;
    }

    /** {@code echo}: the row is what the remote uploaded. */
    void insert(Object[] row, boolean echo) {
        pending.add(new Write(Kind.INSERT, closings.open(sql, row, echo)));
    }

    void update(Object[] row, boolean echo) {
        if (sql.update() != null) {
            // Nothing to set when every column is key or filled by the database: same key, same row.
            pending.add(new Write(Kind.UPDATE, closings.open(sql, row, echo)));
        }
    }

    void delete(Object[] key) {
        pending.add(new Write(Kind.DELETE, key));
    }

    /** Marks the row changed so this remote is sent the consolidated version in this sync's download. */
    void touch(Object[] key) {
        pending.add(new Write(Kind.TOUCH, key));
    }

    void flush(Connection c) throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        if (origin != null) {
            dialect.setWriteOrigin(c, origin);
        }
        int i = 0;
        while (i < pending.size()) {
            Kind kind = pending.get(i).kind();
            int j = i;
            while (j < pending.size() && pending.get(j).kind() == kind) {
                j++;
            }
            List<Write> run = pending.subList(i, j);
            if (kind == Kind.TOUCH) {
                for (Write w : run) {
                    touch(c, w.values());
                }
            } else {
                batch(c, kind, run);
            }
            i = j;
        }
        pending.clear();
        if (origin != null) {
            // Whatever runs next in this transaction (a conflict procedure, the next table) writes untagged.
            dialect.setWriteOrigin(c, "");
        }
    }

    private void batch(Connection c, Kind kind, List<Write> run) throws SQLException {
        if (kind == Kind.DELETE) {
            deleteAll(c, run);
            return;
        }
        if (kind == Kind.UPDATE && run.size() > 1 && sql.updateManyLimit() > 0) {
            updateAll(c, run);
            return;
        }
        String statement = switch (kind) {
            case INSERT -> sql.insert();
            case UPDATE -> sql.update();
            default -> throw new IllegalArgumentException(kind.name());
        };
        TableDef t = sql.table();
        // Columns the database fills itself are not in the statements (issue 10, defect 11).
        List<ColumnDef> set = kind == Kind.INSERT ? t.writableColumns() : t.updatableColumns();
        int[] from = set.stream().mapToInt(col -> t.columnIndex(col.name())).toArray();
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            for (Write w : run) {
                for (int i = 0; i < from.length; i++) {
                    dialect.bind(ps, i + 1, set.get(i), w.values()[from[i]]);
                }
                if (kind == Kind.UPDATE) {
                    sql.bindKey(ps, from.length + 1, t.keyOf(w.values()));
                }
                ps.addBatch();
                written.add(t.keyOf(w.values()));
            }
            ps.executeBatch();
        }
    }

    /**
     * One {@code DELETE ... WHERE key IN (...)} for the run (a chunk holds at most a few hundred keys):
     * a set-based statement, not one execution per row. If a row cannot go (a foreign key), the
     * statement fails as a batch would and the chunk is replayed row by row.
     */
    private void deleteAll(Connection c, List<Write> run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.deleteKeys(run.size()))) {
            int index = 1;
            for (Write w : run) {
                index = sql.bindKey(ps, index, w.values());
                written.add(w.values());
            }
            ps.executeUpdate();
        }
    }

    /**
     * The run's updates as {@code UPDATE ... FROM (VALUES ...)} statements (PostgreSQL): one statement
     * for what a batch sends as hundreds. A statement that fails fails the chunk as a batch would, and
     * the row-by-row replay then updates each row alone, with the single-row statement.
     */
    private void updateAll(Connection c, List<Write> run) throws SQLException {
        TableDef t = sql.table();
        List<ColumnDef> set = t.updatableColumns();
        int[] from = set.stream().mapToInt(col -> t.columnIndex(col.name())).toArray();
        int limit = sql.updateManyLimit();
        for (int start = 0; start < run.size(); start += limit) {
            List<Write> part = run.subList(start, Math.min(run.size(), start + limit));
            try (PreparedStatement ps = c.prepareStatement(sql.updateMany(part.size()))) {
                int index = 1;
                for (Write w : part) {
                    Object[] key = t.keyOf(w.values());
                    index = sql.bindKey(ps, index, key);
                    for (int i = 0; i < from.length; i++) {
                        dialect.bind(ps, index++, set.get(i), w.values()[from[i]]);
                    }
                    written.add(key);
                }
                ps.executeUpdate();
            }
        }
    }

    private void touch(Connection c, Object[] key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.touchShadow())) {
            sql.bindKey(ps, 1, key);
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement(sql.insertShadow('U'))) {
            sql.bindKey(ins, 1, key);
            ins.executeUpdate();
        }
    }
}
