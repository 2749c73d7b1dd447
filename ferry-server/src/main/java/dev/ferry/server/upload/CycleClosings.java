package dev.ferry.server.upload;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.protocol.ChangeOp;
import dev.ferry.protocol.UploadRow;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.consolidated.TransactionReplay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The NULL-first steps that let one upload attempt apply rows on foreign-key cycles (issue 13,
 * docs/SCHEMAS.md "Foreign-key cycles") on every consolidated database, without deferred constraints
 * or disabled checks: every statement is valid when it runs.
 *
 * <ul>
 *   <li>A row written to a table that owns a cycle-closing key ({@link SyncSchema#closing}) is written
 *       with those columns NULL ({@link #open}) and completed once every upserted row is in
 *       ({@link #close}), so a new store and its new manager arrive in one upload.</li>
 *   <li>Before the deletes, a row the upload deletes cleanly has its closing columns set to NULL
 *       ({@link #clearBeforeDeletes}), so the rows it references can go first; conflict detection still
 *       sees the row as it was ({@link #asBefore}).</li>
 * </ul>
 *
 * A completion the database refuses (the referenced row was rejected, or does not exist), or a cleared
 * row that was not deleted after all, would leave a row the remote never wrote. Such rows are reported
 * ({@link #failures}), and {@link UploadApplier} rolls the attempt back and applies the upload again,
 * rejecting those rows (or leaving those deletes alone). Not thread-safe; one per attempt.
 */
final class CycleClosings {
    /** A row this attempt could not complete, or a cleared row that stayed. */
    record Failure(String table, KeyText key, ErrorCode code, String message, boolean delete) {
    }

    private record Pending(TableSql sql, Object[] row, boolean echo) {
    }

    private final ConsolidatedDialect dialect;
    private final SyncSchema schema;
    private final String origin;
    private final List<Pending> pending = new ArrayList<>();
    /** Table to key to the row as it was before its closing columns were cleared. */
    private final Map<String, Map<KeyText, Object[]>> cleared = new HashMap<>();
    private final Map<String, TableSql> clearedSql = new LinkedHashMap<>();
    private final List<Failure> failures = new ArrayList<>();

    /** {@code origin}: the tag the capture triggers give written rows ({@link RowWrites}), null for none. */
    CycleClosings(ConsolidatedDialect dialect, SyncSchema schema, String origin) {
        this.dialect = dialect;
        this.schema = schema;
        this.origin = dialect.tagsOriginInTriggers() ? origin : null;
    }

    /**
     * The row to write now: {@code row} with its closing columns NULL when it has any set, the rest
     * recorded for {@link #close}. {@code echo}: the row is what the remote uploaded (so tagged as its echo once complete).
     */
    Object[] open(TableSql ts, Object[] row, boolean echo) {
        TableDef t = ts.table();
        List<ForeignKeyDef> closing = schema.closing(t.name());
        if (closing.isEmpty()) {
            return row;
        }
        Object[] now = row.clone();
        boolean any = false;
        for (ForeignKeyDef fk : closing) {
            if (fk.columns().stream().allMatch(col -> row[t.columnIndex(col)] != null)) {
                for (String col : fk.columns()) {
                    now[t.columnIndex(col)] = null;
                }
                any = true;
            }
        }
        if (!any) {
            return row;
        }
        pending.add(new Pending(ts, row, echo));
        return now;
    }

    /**
     * Writes the closing columns of every row {@link #open} recorded, each under its own savepoint; a
     * refusal caused by the row's data is recorded as a {@link Failure}. Call after every table's upserts.
     */
    void close(Connection c, String incarnation) throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        if (origin != null) {
            dialect.setWriteOrigin(c, origin);
        }
        Map<String, EchoTags> echoes = new LinkedHashMap<>();
        Map<String, List<Object[]>> written = new LinkedHashMap<>();
        Map<String, TableSql> sqlOf = new LinkedHashMap<>();
        for (Pending p : pending) {
            TableDef t = p.sql().table();
            List<String> columns = columns(t, p.row());
            Savepoint sp = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement(p.sql().setColumns(columns))) {
                int i = 1;
                for (String col : columns) {
                    dialect.bind(ps, i++, t.column(col), p.row()[t.columnIndex(col)]);
                }
                p.sql().bindKey(ps, i, t.keyOf(p.row()));
                ps.executeUpdate();
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                c.rollback(sp);
                SqlFailure f = dialect.classify(e);
                if (f.kind() == SqlFailure.Kind.RETRY_TRANSACTION) {
                    throw new TransactionReplay.ReplayRequested(e);
                }
                if (f.kind() != SqlFailure.Kind.ROW) {
                    throw SqlErrors.wrap("completing the cycle-closing columns of " + t.name(), dialect, e);
                }
                failures.add(new Failure(t.name(), KeyText.of(t.keyColumns(), t.keyOf(p.row())), f.rowCode(),
                        "its foreign key " + String.join(", ", columns) + " cannot be written: " + e.getMessage(), false));
                continue;
            }
            sqlOf.putIfAbsent(t.name(), p.sql());
            EchoTags tags = echoes.computeIfAbsent(t.name(), n -> new EchoTags(p.sql(), origin != null));
            if (p.echo()) {
                tags.expect(new UploadRow(ChangeOp.UPDATE, p.row(), p.row()));
            }
            written.computeIfAbsent(t.name(), n -> new ArrayList<>()).add(t.keyOf(p.row()));
        }
        pending.clear();
        if (origin != null) {
            dialect.setWriteOrigin(c, "");
        }
        for (Map.Entry<String, EchoTags> e : echoes.entrySet()) {
            e.getValue().write(c, incarnation, written.get(e.getKey()));
        }
    }

    /**
     * Clears the closing columns of each row the upload deletes from a table that owns closing keys,
     * when the row is still what the remote last had (a delete that will apply), except {@code keep}.
     */
    void clearBeforeDeletes(Connection c, TableSql ts, Iterable<UploadRow> deletes, Set<KeyText> keep) throws SQLException {
        TableDef t = ts.table();
        List<ForeignKeyDef> closing = schema.closing(t.name());
        if (closing.isEmpty()) {
            return;
        }
        List<String> columns = new ArrayList<>();
        closing.forEach(fk -> columns.addAll(fk.columns()));
        for (UploadRow r : deletes) {
            Object[] key = t.keyOf(r.image());
            KeyText text = KeyText.of(t.keyColumns(), key);
            if (keep.contains(text)) {
                continue;
            }
            Object[] server = CurrentRows.lock(c, ts, List.of(r)).get(key);
            if (server == null || !UploadApplier.same(t, r.oldValues(), server)
                    || columns.stream().allMatch(col -> server[t.columnIndex(col)] == null)) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement(ts.setColumns(columns))) {
                int i = 1;
                for (String col : columns) {
                    dialect.bind(ps, i++, t.column(col), null);
                }
                ts.bindKey(ps, i, key);
                ps.executeUpdate();
            }
            cleared.computeIfAbsent(t.name(), n -> new HashMap<>()).put(text, server);
            clearedSql.put(t.name(), ts);
        }
    }

    /** The row as conflict detection must see it: as it was before {@link #clearBeforeDeletes} cleared it. */
    Object[] asBefore(TableDef t, Object[] key, Object[] current) {
        Map<KeyText, Object[]> m = cleared.get(t.name());
        Object[] before = m == null ? null : m.get(KeyText.of(t.keyColumns(), key));
        return before != null && current != null ? before : current;
    }

    /** After the deletes: a cleared row still there was not deleted (refused, or a conflict kept it), so it must not be cleared. */
    void checkCleared(Connection c) throws SQLException {
        for (Map.Entry<String, TableSql> e : clearedSql.entrySet()) {
            TableSql ts = e.getValue();
            TableDef t = ts.table();
            for (Map.Entry<KeyText, Object[]> row : cleared.get(e.getKey()).entrySet()) {
                try (PreparedStatement ps = c.prepareStatement(ts.selectRow())) {
                    ts.bindKey(ps, 1, t.keyOf(row.getValue()));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            failures.add(new Failure(t.name(), row.getKey(), null, null, true));
                        }
                    }
                }
            }
        }
    }

    List<Failure> failures() {
        return failures;
    }

    /** The closing columns of {@code row} that {@link #open} set aside (every column of each closing key with all values set). */
    private List<String> columns(TableDef t, Object[] row) {
        List<String> out = new ArrayList<>();
        for (ForeignKeyDef fk : schema.closing(t.name())) {
            if (fk.columns().stream().allMatch(col -> row[t.columnIndex(col)] != null)) {
                out.addAll(fk.columns());
            }
        }
        return out;
    }

    /** The keys of {@code failures} per table, for the next attempt. */
    static Map<String, Set<KeyText>> byTable(List<Failure> failures, boolean deletes) {
        Map<String, Set<KeyText>> out = new HashMap<>();
        for (Failure f : failures) {
            if (f.delete() == deletes) {
                out.computeIfAbsent(f.table(), n -> new HashSet<>()).add(f.key());
            }
        }
        return out;
    }
}
