package dev.ferry.server.upload;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.protocol.ChangeOp;
import dev.ferry.protocol.RejectedRow;
import dev.ferry.protocol.UploadRow;
import dev.ferry.server.config.UploadPolicy;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.consolidated.Tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a held upload inside the caller's transaction, in the order the seeds fix: inserts and
 * updates table by table, parents first; then every delete, tables in reverse order.
 *
 * <p>Rows go in chunks under one savepoint each (inserts and deletes batched). When a chunk fails
 * because of a row's data, the chunk is rolled back to its savepoint and replayed row by row, each
 * under its own savepoint, so exactly the bad rows are rejected and the rest applied. A deadlock,
 * serialization failure or lock timeout is never treated as a row error: it escapes as
 * {@link RetryTransaction} so the whole upload is rolled back and applied again.
 *
 * <p>Conflicts (issue 5 refines the policies): an insert of a key that already exists, or an update of
 * a row that no longer exists, leaves the consolidated row as it is ("server wins") and re-marks it
 * changed so this remote receives the winning version in the same sync. Deleting a row that is
 * already gone is not a conflict.
 */
public final class UploadApplier {
    private static final int CHUNK = 500;

    private final ConsolidatedDialect dialect;
    private final Tracking tracking;
    private final Map<String, TableSql> sql;
    private final UploadPolicy policy;

    public UploadApplier(ConsolidatedDialect dialect, Tracking tracking, Map<String, TableSql> sql, UploadPolicy policy) {
        this.dialect = dialect;
        this.tracking = tracking;
        this.sql = sql;
        this.policy = policy;
    }

    public ApplyResult apply(Connection c, HeldUpload upload) throws SQLException {
        Attempt a = new Attempt(c);
        for (TableDef t : tracking.tables()) {
            a.applyRows(sql.get(t.name()), upload.upserts(t.name()), false);
        }
        List<TableDef> reversed = new ArrayList<>(tracking.tables());
        java.util.Collections.reverse(reversed);
        for (TableDef t : reversed) {
            a.applyRows(sql.get(t.name()), upload.deletes(t.name()), true);
        }
        return new ApplyResult(a.applied, a.rejected, a.conflicts);
    }

    private final class Attempt {
        private final Connection c;
        private long applied;
        private final List<RejectedRow> rejected = new ArrayList<>();
        private final Map<String, Long> conflicts = new LinkedHashMap<>();

        Attempt(Connection c) {
            this.c = c;
        }

        void applyRows(TableSql ts, Iterable<UploadRow> rows, boolean deletes) throws SQLException {
            List<UploadRow> chunk = new ArrayList<>(CHUNK);
            for (UploadRow r : rows) {
                if (!deletes && !valid(ts.table(), r)) {
                    continue;
                }
                chunk.add(r);
                if (chunk.size() == CHUNK) {
                    applyChunk(ts, chunk, deletes);
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) {
                applyChunk(ts, chunk, deletes);
            }
        }

        private boolean valid(TableDef t, UploadRow r) {
            try {
                ValueChecks.check(t, r.newValues());
                return true;
            } catch (FerryException e) {
                reject(t, r, e.code(), e.getMessage());
                return false;
            }
        }

        private void applyChunk(TableSql ts, List<UploadRow> chunk, boolean deletes) throws SQLException {
            Savepoint sp = c.setSavepoint();
            long before = applied;
            Map<String, Long> conflictsBefore = new LinkedHashMap<>(conflicts);
            try {
                if (deletes) {
                    batch(ts.delete(), chunk, (ps, r) -> ts.bindKey(ps, 1, ts.table().keyOf(r.oldValues())));
                    applied += chunk.size();
                } else {
                    fastUpserts(ts, chunk);
                }
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                SqlFailure f = dialect.classify(e);
                if (f.kind() == SqlFailure.Kind.RETRY_TRANSACTION) {
                    throw new RetryTransaction(e);
                }
                if (f.kind() != SqlFailure.Kind.ROW) {
                    throw SqlErrors.wrap("applying the upload to " + ts.table().name(), dialect, e);
                }
                c.rollback(sp);
                applied = before;
                conflicts.clear();
                conflicts.putAll(conflictsBefore);
                for (UploadRow r : chunk) {
                    applyOne(ts, r, deletes);
                }
            }
        }

        private void fastUpserts(TableSql ts, List<UploadRow> chunk) throws SQLException {
            // Keep upload order (a row may reference one inserted just before it): batch runs of inserts,
            // run updates one at a time because their row counts reveal deleted rows.
            int i = 0;
            while (i < chunk.size()) {
                int j = i;
                if (chunk.get(i).op() == ChangeOp.INSERT) {
                    while (j < chunk.size() && chunk.get(j).op() == ChangeOp.INSERT) {
                        j++;
                    }
                    batch(ts.insert(), chunk.subList(i, j), (ps, r) -> bindRow(ps, ts, r.newValues()));
                    applied += j - i;
                } else {
                    update(ts, chunk.get(i));
                    j = i + 1;
                }
                i = j;
            }
        }

        private void update(TableSql ts, UploadRow r) throws SQLException {
            if (ts.update() == null) {
                // Every column is key: the row either exists (nothing to change) or was deleted there.
                if (exists(ts, r.newValues())) {
                    applied++;
                } else {
                    conflict(ts, r);
                }
                return;
            }
            try (PreparedStatement ps = c.prepareStatement(ts.update())) {
                int idx = 1;
                TableDef t = ts.table();
                for (int col = 0; col < t.columns().size(); col++) {
                    if (!t.primaryKey().contains(t.columns().get(col).name())) {
                        dialect.bind(ps, idx++, t.columns().get(col), r.newValues()[col]);
                    }
                }
                ts.bindKey(ps, idx, t.keyOf(r.newValues()));
                if (ps.executeUpdate() == 0) {
                    conflict(ts, r);
                } else {
                    applied++;
                }
            }
        }

        private void applyOne(TableSql ts, UploadRow r, boolean deletes) throws SQLException {
            Savepoint sp = c.setSavepoint();
            try {
                if (deletes) {
                    try (PreparedStatement ps = c.prepareStatement(ts.delete())) {
                        ts.bindKey(ps, 1, ts.table().keyOf(r.oldValues()));
                        ps.executeUpdate();
                    }
                    applied++;
                } else if (r.op() == ChangeOp.INSERT) {
                    try (PreparedStatement ps = c.prepareStatement(ts.insert())) {
                        bindRow(ps, ts, r.newValues());
                        ps.executeUpdate();
                    }
                    applied++;
                } else {
                    update(ts, r);
                }
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                SqlFailure f = dialect.classify(e);
                if (f.kind() == SqlFailure.Kind.RETRY_TRANSACTION) {
                    throw new RetryTransaction(e);
                }
                if (f.kind() != SqlFailure.Kind.ROW) {
                    throw SqlErrors.wrap("applying a row of " + ts.table().name(), dialect, e);
                }
                c.rollback(sp);
                if (!deletes && r.op() == ChangeOp.INSERT && f.rowCode() == ErrorCode.ROW_DUPLICATE_KEY && exists(ts, r.newValues())) {
                    conflict(ts, r);
                } else {
                    reject(ts.table(), r, f.rowCode(), e.getMessage());
                }
            }
        }

        private boolean exists(TableSql ts, Object[] row) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(ts.exists())) {
                ts.bindKey(ps, 1, ts.table().keyOf(row));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        }

        /** Server wins: keep the consolidated row and make sure this remote is sent it. */
        private void conflict(TableSql ts, UploadRow r) throws SQLException {
            Object[] key = ts.table().keyOf(r.image());
            try (PreparedStatement ps = c.prepareStatement(ts.touchShadow())) {
                ts.bindKey(ps, 1, key);
                if (ps.executeUpdate() == 0) {
                    try (PreparedStatement ins = c.prepareStatement(ts.insertShadow('U'))) {
                        ts.bindKey(ins, 1, key);
                        ins.executeUpdate();
                    }
                }
            }
            conflicts.merge(ts.table().name(), 1L, Long::sum);
            applied++;
        }

        private void reject(TableDef t, UploadRow r, ErrorCode code, String message) {
            List<Object> key = Arrays.asList(t.keyOf(r.image()));
            if (policy == UploadPolicy.ALL_OR_NOTHING) {
                throw new FerryException(ErrorCode.UPLOAD_REJECTED, "upload rejected as a whole: row " + key + " of " + t.name()
                        + " failed (" + code + "): " + message, "fix the row on the remote and sync again; nothing was applied");
            }
            rejected.add(new RejectedRow(t.name(), keyForWire(t, key), code, message));
        }

        private List<Object> keyForWire(TableDef t, List<Object> key) {
            List<Object> out = new ArrayList<>(key.size());
            List<dev.ferry.core.schema.ColumnDef> cols = t.keyColumns();
            for (int i = 0; i < key.size(); i++) {
                Object v = key.get(i);
                out.add(v == null || v instanceof Long ? v : dev.ferry.core.value.Values.format(cols.get(i).type(), v));
            }
            return out;
        }

        private void bindRow(PreparedStatement ps, TableSql ts, Object[] row) throws SQLException {
            TableDef t = ts.table();
            for (int i = 0; i < row.length; i++) {
                dialect.bind(ps, i + 1, t.columns().get(i), row[i]);
            }
        }

        private void batch(String statement, List<UploadRow> rows, Binder binder) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(statement)) {
                for (UploadRow r : rows) {
                    binder.bind(ps, r);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps, UploadRow r) throws SQLException;
    }
}
