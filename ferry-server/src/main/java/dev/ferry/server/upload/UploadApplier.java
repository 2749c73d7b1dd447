package dev.ferry.server.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.protocol.ChangeOp;
import dev.ferry.protocol.RejectedRow;
import dev.ferry.protocol.UploadRow;
import dev.ferry.server.config.UploadPolicy;
import dev.ferry.server.conflict.Conflict;
import dev.ferry.server.conflict.ConflictKind;
import dev.ferry.server.conflict.ConflictLog;
import dev.ferry.server.conflict.ConflictPolicies;
import dev.ferry.server.conflict.ConflictPolicy;
import dev.ferry.server.conflict.ConflictResolutionFailed;
import dev.ferry.server.conflict.Decision;
import dev.ferry.server.conflict.Resolution;
import dev.ferry.server.conflict.RowImages;
import dev.ferry.server.consolidated.TransactionReplay;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.consolidated.Tracking;
import dev.ferry.server.partition.Holdings;
import dev.ferry.server.partition.PartitionParameters;
import dev.ferry.server.partition.PartitionView;
import dev.ferry.server.partition.RemotePartition;
import dev.ferry.server.partition.TablePartition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a held upload inside the caller's transaction, in the order the seeds fix: inserts and
 * updates table by table, parents first; then every delete, tables in reverse order. Rows on a
 * foreign-key cycle take the NULL-first steps of {@link CycleClosings}, so each statement is valid on
 * every database (issue 13).
 *
 * <p>Rows go in chunks under one savepoint each. A chunk first reads and locks the consolidated rows it
 * is about to change ({@link CurrentRows}); each uploaded update and delete carries the old image the
 * remote last had from the server, and a consolidated row that no longer matches it is a conflict,
 * resolved by the table's {@link ConflictPolicy} and logged in {@code ferry_conflict}. An insert of an
 * existing key is a conflict too; a delete of a row already gone is not. The decided writes then run
 * as JDBC batches ({@link RowWrites}).
 *
 * <p>When a chunk fails because of a row's data, it is rolled back to its savepoint and replayed row by
 * row, each under its own savepoint, so exactly the bad rows are rejected and the rest applied. A
 * deadlock, serialization failure or lock timeout is never treated as a row error: it escapes as
 * {@link TransactionReplay.ReplayRequested} so the whole upload is rolled back and applied again.
 */
public final class UploadApplier {
    private static final int CHUNK = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConsolidatedDialect dialect;
    private final Tracking tracking;
    private final Map<String, TableSql> sql;
    private final UploadPolicy policy;
    private final ConflictPolicies conflictPolicies;

    public UploadApplier(ConsolidatedDialect dialect, Tracking tracking, Map<String, TableSql> sql, UploadPolicy policy,
                         ConflictPolicies conflictPolicies) {
        this.dialect = dialect;
        this.tracking = tracking;
        this.sql = sql;
        this.policy = policy;
        this.conflictPolicies = conflictPolicies;
    }

    /** Applies an upload of a remote that shares every table both ways, unfiltered. */
    public ApplyResult apply(Connection c, HeldUpload upload, UploadContext context) throws SQLException {
        return apply(c, upload, context, null);
    }

    /**
     * Applies an upload within the remote's partition (docs/PARTITIONS.md, "What a remote may upload"):
     * a row into a download-only table, a row whose new image is outside the partition, or a change to a
     * row outside it that the remote does not hold is rejected ({@code ROW_FORBIDDEN}); a change to a
     * row the remote holds that has left its partition is a {@code partition-left} conflict the server
     * wins. {@code view} null = every table, unfiltered.
     */
    public ApplyResult apply(Connection c, HeldUpload upload, UploadContext context, PartitionView view) throws SQLException {
        SyncSchema schema = view == null ? tracking.schema() : view.tracking().schema();
        List<CycleClosings.Failure> refused = new ArrayList<>();
        while (true) {
            // A row on a foreign-key cycle that could not be completed is known only after the upserts: the attempt
            // is then undone and made again with that row rejected (CycleClosings). Each round refuses more rows, so it ends.
            Savepoint sp = c.setSavepoint();
            Attempt a = new Attempt(c, context, view == null || !view.anyFiltered() ? null : PartitionParameters.read(c, context.remoteId(), view), view,
                    new CycleClosings(dialect, schema, context.incarnation()), refused);
            List<TableDef> tables = view == null ? tracking.tables() : view.schema();
            for (TableDef t : tables) {
                a.applyRows(statements(view, t), upload.upserts(t.name()), false);
            }
            a.closings.close(c, context.incarnation());
            List<TableDef> reversed = new ArrayList<>(tables);
            Collections.reverse(reversed);
            Map<String, Set<KeyText>> keep = CycleClosings.byTable(refused, true);
            for (TableDef t : reversed) {
                a.closings.clearBeforeDeletes(c, statements(view, t), upload.deletes(t.name()), keep.getOrDefault(t.name(), Set.of()));
            }
            for (TableDef t : reversed) {
                a.applyRows(statements(view, t), upload.deletes(t.name()), true);
            }
            a.closings.checkCleared(c);
            if (a.closings.failures().isEmpty()) {
                c.releaseSavepoint(sp);
                return new ApplyResult(a.applied, a.rejected, a.conflicts);
            }
            c.rollback(sp);
            refused.addAll(a.closings.failures());
        }
    }

    /**
     * The view's statements of a table: with a column list they read, compare and write only the published
     * columns, so unpublished ones keep their values on update and take their defaults on insert.
     */
    private TableSql statements(PartitionView view, TableDef t) {
        return view == null ? sql.get(t.name()) : view.partition(t.name()).table();
    }

    /** A conflict found in a chunk, kept until the chunk's writes ran so the log can show the outcome. */
    private record Found(Object[] key, Conflict conflict, String policy, Decision decision) {
    }

    private final class Attempt {
        private final Connection c;
        private final UploadContext context;
        private long applied;
        private final List<RejectedRow> rejected = new ArrayList<>();
        private final Map<String, Long> conflicts = new LinkedHashMap<>();

        private final RemotePartition partition;
        private final PartitionView view;
        private final CycleClosings closings;
        /** Upserts an earlier attempt could not complete (CycleClosings), rejected before they are written. */
        private final Map<String, Map<KeyText, CycleClosings.Failure>> refusedUpserts = new LinkedHashMap<>();

        Attempt(Connection c, UploadContext context, RemotePartition partition, PartitionView view, CycleClosings closings,
                List<CycleClosings.Failure> refused) {
            this.c = c;
            this.context = context;
            this.partition = partition;
            this.view = view;
            this.closings = closings;
            for (CycleClosings.Failure f : refused) {
                if (!f.delete()) {
                    refusedUpserts.computeIfAbsent(f.table(), n -> new LinkedHashMap<>()).put(f.key(), f);
                }
            }
        }

        /** False, with the row rejected, when an earlier attempt could not complete its cycle-closing columns. */
        private boolean closable(TableDef t, UploadRow r) {
            Map<KeyText, CycleClosings.Failure> m = refusedUpserts.get(t.name());
            CycleClosings.Failure f = m == null ? null : m.get(KeyText.of(t.keyColumns(), t.keyOf(r.image())));
            if (f == null) {
                return true;
            }
            reject(t, r, f.code(), f.message());
            return false;
        }

        private TablePartition partitionOf(TableSql ts) {
            return view == null ? null : view.partition(ts.table().name());
        }

        /**
         * The partition's verdict on a row before it is applied: false when it was rejected or settled as
         * a conflict here. Judged on the consolidated row as it is now; the new image is judged after the
         * write ({@link #checkNewImages}).
         */
        private boolean admitted(TableSql ts, UploadRow r) throws SQLException {
            TablePartition tp = partitionOf(ts);
            if (tp == null) {
                return true;
            }
            TableDef t = ts.table();
            if (!tp.direction().uploads()) {
                reject(t, r, ErrorCode.ROW_FORBIDDEN, "table " + t.name() + " is download-only for remote " + context.remoteId());
                return false;
            }
            if (!tp.filtered()) {
                return true;
            }
            Object[] key = t.keyOf(r.image());
            Boolean inside = currentInFilter(tp, key);
            if (inside == null || inside) {
                return true;
            }
            if (r.op() != ChangeOp.INSERT && Holdings.holds(c, tp, context.remoteId(), key)) {
                // The row left the remote's partition while the remote changed it: the server wins, and the
                // remote's copy goes with this sync's download (its holdings made unknown: its truth is a delete).
                Object[] server = read(ts, key);
                RowImages images = new RowImages(t);
                ConflictLog.write(c, List.of(new ConflictLog.Entry(0, context.startedAt(), context.remoteId(), context.uploadNumber(), t.name(),
                        pkJson(t, key), ConflictKind.PARTITION_LEFT.text(), "partition", "server-kept", images.json(images.named(r.oldValues())),
                        images.json(images.named(r.newValues())), images.json(images.named(server)), images.json(images.named(server)),
                        "the row left the partition of remote " + context.remoteId() + "; it is deleted there")));
                Holdings.markUnknown(c, tp, context.remoteId(), key);
                conflicts.merge(t.name(), 1L, Long::sum);
                applied++;
                return false;
            }
            reject(t, r, ErrorCode.ROW_FORBIDDEN, "row " + Arrays.toString(key) + " of " + t.name() + " is outside the partition of remote "
                    + context.remoteId());
            return false;
        }

        /** Null when the key has no row; else whether the row is in the partition. */
        private Boolean currentInFilter(TablePartition tp, Object[] key) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(tp.sql().currentInFilter())) {
                int i = partition.bind(dialect, ps, 1, tp.filter(), tp.table().table().name());
                tp.table().bindKey(ps, i, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) == 1 : null;
                }
            }
        }

        /** Writes must stay inside the partition: a written row now outside it fails its chunk (and alone, is ROW_FORBIDDEN). */
        private void checkNewImages(TableSql ts, List<UploadRow> chunk) throws SQLException {
            TablePartition tp = partitionOf(ts);
            if (tp == null || !tp.filtered()) {
                return;
            }
            for (UploadRow r : chunk) {
                if (r.op() == ChangeOp.DELETE) {
                    continue;
                }
                Object[] key = ts.table().keyOf(r.image());
                if (Boolean.FALSE.equals(currentInFilter(tp, key))) {
                    throw new PartitionViolation("row " + Arrays.toString(key) + " of " + ts.table().name()
                            + " would leave the partition of remote " + context.remoteId() + ": writes must stay inside it");
                }
            }
        }

        void applyRows(TableSql ts, Iterable<UploadRow> rows, boolean deletes) throws SQLException {
            List<UploadRow> chunk = new ArrayList<>(CHUNK);
            for (UploadRow r : rows) {
                if (!deletes && !closable(ts.table(), r) || !admitted(ts, r) || (!deletes && !valid(ts.table(), r))) {
                    continue;
                }
                chunk.add(r);
                if (chunk.size() == CHUNK) {
                    applyChunk(ts, chunk);
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) {
                applyChunk(ts, chunk);
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

        private void applyChunk(TableSql ts, List<UploadRow> chunk) throws SQLException {
            Savepoint sp = c.setSavepoint();
            long appliedBefore = applied;
            Map<String, Long> conflictsBefore = new LinkedHashMap<>(conflicts);
            ErrorCode code;
            String message;
            try {
                applyAll(ts, chunk);
                c.releaseSavepoint(sp);
                return;
            } catch (SQLException e) {
                SqlFailure f = dialect.classify(e);
                if (f.kind() == SqlFailure.Kind.RETRY_TRANSACTION) {
                    throw new TransactionReplay.ReplayRequested(e);
                }
                if (f.kind() != SqlFailure.Kind.ROW) {
                    throw SqlErrors.wrap("applying the upload to " + ts.table().name(), dialect, e);
                }
                code = f.rowCode();
                message = rowMessage(e);
            } catch (PartitionViolation e) {
                code = ErrorCode.ROW_FORBIDDEN;
                message = e.getMessage();
            } catch (ConflictResolutionFailed e) {
                code = ErrorCode.ROW_CONFLICT_UNRESOLVED;
                message = e.getMessage();
            } catch (FerryException e) {
                if (!e.code().name().startsWith("ROW_")) {
                    throw e;
                }
                code = ErrorCode.ROW_CONFLICT_UNRESOLVED;
                message = "the conflict resolution is not a valid row: " + e.getMessage();
            }
            c.rollback(sp);
            applied = appliedBefore;
            conflicts.clear();
            conflicts.putAll(conflictsBefore);
            if (chunk.size() > 1) {
                for (UploadRow r : chunk) {
                    applyChunk(ts, List.of(r));
                }
            } else {
                reject(ts.table(), chunk.get(0), code, message);
            }
        }

        private void applyAll(TableSql ts, List<UploadRow> chunk) throws SQLException {
            TableDef t = ts.table();
            CurrentRows current = CurrentRows.lock(c, ts, chunk);
            RowWrites writes = new RowWrites(dialect, ts, context.incarnation(), closings);
            EchoTags echoes = new EchoTags(ts, dialect.tagsOriginInTriggers());
            List<Found> found = new ArrayList<>();
            for (UploadRow sent : chunk) {
                Object[] key = t.keyOf(sent.image());
                Object[] server = closings.asBefore(t, key, current.get(key));
                UploadRow r = sent;
                if (sent.lacksColumns()) {
                    r = AbsentColumns.filled(t, sent, server);
                    // The remote lacks those columns' values: its download must bring the row back, not skip it as its own.
                    echoes.sentPartly(r);
                }
                ConflictKind kind = conflictOf(t, r, server);
                if (kind != null) {
                    found.add(resolve(ts, r, key, server, kind, writes, echoes));
                } else if (r.op() == ChangeOp.INSERT && server == null) {
                    writes.insert(r.newValues(), true);
                    echoes.expect(r);
                } else if (r.op() == ChangeOp.UPDATE && !same(t, r.newValues(), server)) {
                    writes.update(r.newValues(), true);
                    echoes.expect(r);
                } else if (r.op() == ChangeOp.DELETE) {
                    if (server != null) {
                        writes.delete(key);
                    }
                    echoes.expect(r);
                } else if (server != null && differsInFilledColumns(t, r.newValues(), server)) {
                    // Nothing to write, but the remote holds its own values in columns the database fills:
                    // mark the row so this sync's download brings it the server's.
                    writes.touch(key);
                } else {
                    // Already what the remote wants (the same change made twice).
                    echoes.expect(r);
                }
                applied++;
            }
            writes.flush(c);
            checkNewImages(ts, chunk);
            echoes.write(c, context.incarnation(), writes.writtenKeys());
            if (!found.isEmpty()) {
                log(ts, found);
            }
        }

        /**
         * Null when the change applies cleanly: the consolidated row is what the remote last had, or
         * already what the remote wants (the same change made twice), or already deleted for a delete.
         */
        private ConflictKind conflictOf(TableDef t, UploadRow r, Object[] server) {
            return switch (r.op()) {
                case INSERT -> server == null || same(t, r.newValues(), server) ? null : ConflictKind.INSERT_EXISTS;
                case UPDATE -> server == null ? ConflictKind.UPDATE_DELETED
                        : same(t, r.oldValues(), server) || same(t, r.newValues(), server) ? null : ConflictKind.UPDATE_UPDATE;
                case DELETE -> server == null || same(t, r.oldValues(), server) ? null : ConflictKind.DELETE_UPDATED;
            };
        }

        private Found resolve(TableSql ts, UploadRow r, Object[] key, Object[] server, ConflictKind kind, RowWrites writes, EchoTags echoes)
                throws SQLException {
            RowImages images = new RowImages(ts.table());
            Conflict conflict = new Conflict(context.remoteId(), ts.table().name(), kind, images.namedKey(key),
                    images.named(r.oldValues()), images.named(r.newValues()), images.named(server));
            ConflictPolicy p = conflictPolicies.forTable(ts.table().name());
            // A procedure sees the database: everything decided before it must be written first.
            writes.flush(c);
            Decision d = p.decide(conflict, c);
            carryOut(ts, d.resolution(), r, key, server, writes, echoes);
            conflicts.merge(ts.table().name(), 1L, Long::sum);
            return new Found(key, conflict, p.name(), d);
        }

        private void carryOut(TableSql ts, Resolution resolution, UploadRow r, Object[] key, Object[] server, RowWrites writes,
                              EchoTags echoes) {
            if (resolution == null || resolution instanceof Resolution.KeepServer) {
                writes.touch(key);
            } else if (resolution instanceof Resolution.TakeRemote) {
                if (r.op() == ChangeOp.DELETE) {
                    writes.delete(key);
                    echoes.expect(r);
                } else {
                    upsert(writes, r.newValues(), server, true);
                    echoes.expect(r);
                }
            } else if (resolution instanceof Resolution.WriteRow w) {
                Object[] row = new RowImages(ts.table()).row(w.row());
                if (!sameKey(ts.table(), row, key)) {
                    throw new ConflictResolutionFailed("the resolution changes the row's key " + Arrays.toString(key)
                            + " to " + Arrays.toString(ts.table().keyOf(row)), null);
                }
                upsert(writes, row, server, false);
            } else if (server != null) {
                writes.delete(key);
            } else {
                writes.touch(key);
            }
        }

        private void upsert(RowWrites writes, Object[] row, Object[] server, boolean echo) {
            if (server == null) {
                writes.insert(row, echo);
            } else {
                writes.update(row, echo);
            }
        }

        private void log(TableSql ts, List<Found> found) throws SQLException {
            RowImages images = new RowImages(ts.table());
            List<ConflictLog.Entry> entries = new ArrayList<>(found.size());
            for (Found f : found) {
                Conflict cf = f.conflict();
                entries.add(new ConflictLog.Entry(0, context.startedAt(), context.remoteId(), context.uploadNumber(), cf.table(),
                        pkJson(ts.table(), f.key()), cf.kind().text(), f.policy(), f.decision().outcome(), images.json(cf.oldImage()),
                        images.json(cf.remoteImage()), images.json(cf.serverImage()), images.json(images.named(read(ts, f.key()))),
                        f.decision().detail()));
            }
            ConflictLog.write(c, entries);
        }

        private Object[] read(TableSql ts, Object[] key) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(ts.selectRow())) {
                ts.bindKey(ps, 1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? ts.readRow(rs) : null;
                }
            }
        }

        private void reject(TableDef t, UploadRow r, ErrorCode code, String message) {
            List<Object> key = Arrays.asList(t.keyOf(r.image()));
            if (policy == UploadPolicy.ALL_OR_NOTHING) {
                throw new FerryException(ErrorCode.UPLOAD_REJECTED, "upload rejected as a whole: row " + key + " of " + t.name()
                        + " failed (" + code + "): " + message, "fix the row on the remote and sync again; nothing was applied");
            }
            rejected.add(new RejectedRow(t.name(), keyForWire(t, t.keyOf(r.image())), code, message));
        }
    }

    /**
     * Whether two images agree on every column a remote can change. Columns the database fills itself
     * are left out (issue 10, defect 11): the remote's value for them is stale by nature and never
     * written, so it can neither make a conflict nor a write.
     */
    static boolean same(TableDef t, Object[] a, Object[] b) {
        if (a == null || b == null) {
            return a == b;
        }
        for (int i = 0; i < a.length; i++) {
            ColumnDef col = t.columns().get(i);
            if (!t.filledByDatabase(col) && !Values.equal(col.type(), a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean differsInFilledColumns(TableDef t, Object[] remote, Object[] server) {
        for (int i = 0; i < remote.length; i++) {
            ColumnDef col = t.columns().get(i);
            if (t.filledByDatabase(col) && !Values.equal(col.type(), remote[i], server[i])) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameKey(TableDef t, Object[] row, Object[] key) {
        Object[] rowKey = t.keyOf(row);
        for (int i = 0; i < key.length; i++) {
            if (!Values.equal(t.keyColumns().get(i).type(), rowKey[i], key[i])) {
                return false;
            }
        }
        return true;
    }

    private static List<Object> keyForWire(TableDef t, Object[] key) {
        List<Object> out = new ArrayList<>(key.length);
        List<ColumnDef> cols = t.keyColumns();
        for (int i = 0; i < key.length; i++) {
            Object v = key[i];
            out.add(v == null || v instanceof Long ? v : Values.format(cols.get(i).type(), v));
        }
        return out;
    }

    private static String pkJson(TableDef t, Object[] key) {
        try {
            return JSON.writeValueAsString(keyForWire(t, key));
        } catch (JsonProcessingException e) {
            throw new FerryException(ErrorCode.INTERNAL, "cannot encode a key of " + t.name(), null, e);
        }
    }

    /**
     * The database's own words for a row's failure: a batch failure's first cause rather than the driver's
     * wrapper ("Batch entry 0 ... Call getNextException"), which names Java API (issue 11).
     */
    private static String rowMessage(SQLException e) {
        SQLException cause = e instanceof java.sql.BatchUpdateException && e.getNextException() != null ? e.getNextException() : e;
        return String.valueOf(cause.getMessage());
    }
}
