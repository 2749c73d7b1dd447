package dev.ferry.client;

import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Downloaded writes of rows without a local entry, sent to the remote as JDBC batches of up to
 * {@link #SIZE} (issue 12: one statement execution per row was most of a download's local cost). A
 * batch holds consecutive writes of one statement (one table's upserts, or its deletes), so writes
 * reach the database in the order they arrived: anything else (another table, the other kind, a row
 * with a local entry, the commit) {@link #flush}es first. Each batch runs under a savepoint; when it
 * fails (a row the remote's constraints refuse), the whole batch is rolled back to it and its rows are
 * handed back one at a time ({@link Rows#replay}), so every row's outcome stays exactly what a write of
 * its own would give. Not thread-safe; one download transaction.
 */
final class DownloadBatch {
    /** Rows per batch: large enough that the per-execution cost vanishes, small enough that a replay after a refused row is cheap. */
    static final int SIZE = 1_000;

    /** Binds one row's parameters to the batch's statement. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps, TableDef t, Object[] row) throws SQLException;
    }

    /** What becomes of the batched rows. */
    interface Rows {
        /** The row's write ran as part of a batch that succeeded; {@code updateCount} as JDBC reports it. */
        void applied(TableDef t, Object[] row, boolean upsert, int updateCount) throws SQLException;

        /** The batch failed and was undone: write this row on its own. */
        void replay(TableDef t, Object[] row, boolean upsert) throws SQLException;
    }

    private final Connection c;
    private final Rows outcome;
    private final List<Object[]> rows = new ArrayList<>();
    private PreparedStatement statement;
    private TableDef table;
    private boolean upsert;

    DownloadBatch(Connection c, Rows outcome) {
        this.c = c;
        this.outcome = outcome;
    }

    /** Adds a write of {@code row} by {@code ps} (an upsert of the whole row, or a delete by its key). */
    void add(TableDef t, boolean upserts, PreparedStatement ps, Object[] row, Binder binder) throws SQLException {
        if (ps != statement) {
            flush();
            statement = ps;
            table = t;
            upsert = upserts;
        }
        binder.bind(ps, t, row);
        ps.addBatch();
        rows.add(row);
        if (rows.size() >= SIZE) {
            flush();
        }
    }

    /** Executes what is batched, so that the remote holds every write added so far. */
    void flush() throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<Object[]> batched = new ArrayList<>(rows);
        rows.clear();
        Savepoint sp = c.setSavepoint();
        int[] counts;
        try {
            counts = statement.executeBatch();
        } catch (SQLException e) {
            // BatchUpdateException included: which rows ran before the failure is the driver's business; undo them all.
            statement.clearBatch();
            c.rollback(sp);
            for (Object[] row : batched) {
                outcome.replay(table, row, upsert);
            }
            return;
        }
        c.releaseSavepoint(sp);
        for (int i = 0; i < batched.size(); i++) {
            outcome.applied(table, batched.get(i), upsert, counts[i]);
        }
    }

    /** Forgets what is batched without executing it (the download is being rolled back). */
    void discard() {
        rows.clear();
        statement = null;
        table = null;
    }
}
