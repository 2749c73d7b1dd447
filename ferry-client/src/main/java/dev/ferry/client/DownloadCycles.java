package dev.ferry.client;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.ForeignKeyCycles;
import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.SqlFailure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How one download writes rows on foreign-key cycles (issue 13, docs/SCHEMAS.md "Foreign-key cycles")
 * into a remote that checks every statement (SQLite with {@code foreign_keys = ON}, H2): the server
 * sends parents first with the cycle's closing key ignored, so a row may reference one that arrives
 * later in the same download.
 *
 * <ul>
 *   <li>Such a row is written with its closing columns NULL ({@link #open}) and completed before the
 *       first delete or the commit ({@link #close}). If it cannot be completed (the row it references is
 *       blocked, or deleted locally), its previous version is put back (or the new row removed) and it is
 *       recorded as blocked, as any row the remote refuses.</li>
 *   <li>A delete the remote refuses in a table on a cycle is tried again at the end of the download
 *       ({@link #retryDeletes}), after the closing columns of the other deleted rows are cleared: the
 *       rows of a cycle can only go together. What still cannot go is delete-blocked as before.</li>
 * </ul>
 *
 * Which keys close a cycle is computed from the remote's own foreign keys with the server's rule
 * ({@link ForeignKeyCycles}). Not thread-safe; one per download.
 */
final class DownloadCycles {
    /** What the download does with a row this class gives up on. */
    interface Refusals {
        void blocked(TableDef t, Object[] key, String message) throws SQLException;

        void deleteRefused(TableDef t, Object[] key) throws SQLException;

        void deleted(TableDef t, Object[] key) throws SQLException;
    }

    /** A row written with its closing columns NULL: the full row to complete it with, and what it replaced (null: nothing). */
    record Opened(Object[] write, Object[] full, Object[] previous) {
    }

    private record Deferred(TableDef table, Object[] key) {
    }

    private final Connection c;
    private final RemoteDialect dialect;
    private final ForeignKeyCycles cycles;
    private final List<TableDef> withKeys;
    private final List<Opened> pending = new ArrayList<>();
    private final List<TableDef> pendingTables = new ArrayList<>();
    private final List<Deferred> deferred = new ArrayList<>();

    private DownloadCycles(Connection c, RemoteDialect dialect, List<TableDef> withKeys) {
        this.c = c;
        this.dialect = dialect;
        this.withKeys = withKeys;
        this.cycles = ForeignKeyCycles.of(withKeys);
    }

    static DownloadCycles load(Connection c, RemoteDialect dialect, RemoteTables tables) throws SQLException {
        List<TableDef> withKeys = new ArrayList<>();
        for (TableDef t : tables.tables()) {
            List<ForeignKeyDef> fks = dialect.foreignKeys(c, t.name()).stream().filter(fk -> tables.find(fk.referencedTable()) != null).toList();
            withKeys.add(new TableDef(t.name(), t.columns(), t.primaryKey(), fks));
        }
        return new DownloadCycles(c, dialect, withKeys);
    }

    /** True when rows of {@code t} may need {@link #open}: it owns a closing key. */
    boolean closes(TableDef t) {
        return !cycles.closing(t.name()).isEmpty();
    }

    /**
     * The row to write: {@code values} itself when every row its closing keys reference is here, else
     * with those columns NULL (and what to complete it with). Call just before the write.
     */
    Opened open(TableDef t, Object[] values) throws SQLException {
        Object[] write = values.clone();
        boolean any = false;
        for (ForeignKeyDef fk : cycles.closing(t.name())) {
            Object[] ref = fk.columns().stream().map(col -> values[t.columnIndex(col)]).toArray();
            if (java.util.Arrays.stream(ref).allMatch(v -> v != null) && !exists(fk, ref)) {
                for (String col : fk.columns()) {
                    write[t.columnIndex(col)] = null;
                }
                any = true;
            }
        }
        return any ? new Opened(write, values, current(t, t.keyOf(values))) : new Opened(values, null, null);
    }

    /** The row {@code o} was written: complete it at {@link #close}. */
    void written(TableDef t, Opened o) {
        if (o.full() != null) {
            pending.add(o);
            pendingTables.add(t);
        }
    }

    /** True when rows wait for {@link #close}. */
    boolean closing() {
        return !pending.isEmpty();
    }

    /** Completes every row written with NULL closing columns; idempotent. */
    void close(Refusals refusals) throws SQLException {
        for (int i = 0; i < pending.size(); i++) {
            TableDef t = pendingTables.get(i);
            Opened o = pending.get(i);
            Object[] key = t.keyOf(o.full());
            List<String> columns = closingColumns(t);
            Savepoint sp = c.setSavepoint();
            try {
                set(t, columns, o.full(), key);
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                c.rollback(sp);
                if (dialect.classify(e).kind() != SqlFailure.Kind.ROW) {
                    throw e;
                }
                restore(t, key, o.previous());
                refusals.blocked(t, key, "the server's version of this row references a row this remote does not have: " + e.getMessage()
                        + "; it is asked for again at every sync until it applies");
            }
        }
        pending.clear();
        pendingTables.clear();
    }

    /** A delete the remote refused: true when it is on a cycle and will be tried again by {@link #retryDeletes}. */
    boolean defer(TableDef t, Object[] key) {
        if (!cycles.onCycle(t.name())) {
            return false;
        }
        deferred.add(new Deferred(t, key));
        return true;
    }

    /**
     * Tries the deferred deletes again, with the closing columns of every deferred row cleared first. A
     * row still refused then gets its columns back and is reported to {@code refusals}; if they cannot be
     * put back, the whole retry is undone and every deferred delete is refused.
     */
    void retryDeletes(Refusals refusals) throws SQLException {
        if (deferred.isEmpty()) {
            return;
        }
        Savepoint all = c.setSavepoint();
        List<Object[]> before = new ArrayList<>();
        for (Deferred d : deferred) {
            Object[] row = current(d.table(), d.key());
            before.add(row);
            List<String> columns = closingColumns(d.table());
            if (row != null && !columns.isEmpty()) {
                set(d.table(), columns, new Object[d.table().columns().size()], d.key());
            }
        }
        List<Integer> refused = new ArrayList<>();
        List<Boolean> gone = new ArrayList<>();
        for (int i = 0; i < deferred.size(); i++) {
            Deferred d = deferred.get(i);
            Savepoint sp = c.setSavepoint();
            try (PreparedStatement ps = c.prepareStatement(deleteSql(d.table()))) {
                bindKey(ps, d.table(), d.key());
                gone.add(ps.executeUpdate() > 0);
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                c.rollback(sp);
                if (dialect.classify(e).kind() != SqlFailure.Kind.ROW) {
                    throw e;
                }
                refused.add(i);
                gone.add(false);
            }
        }
        try {
            for (int i : refused) {
                Deferred d = deferred.get(i);
                List<String> columns = closingColumns(d.table());
                if (before.get(i) != null && !columns.isEmpty()) {
                    set(d.table(), columns, before.get(i), d.key());
                }
            }
        } catch (SQLException e) {
            if (dialect.classify(e).kind() != SqlFailure.Kind.ROW) {
                throw e;
            }
            c.rollback(all);
            for (Deferred d : deferred) {
                refusals.deleteRefused(d.table(), d.key());
            }
            deferred.clear();
            return;
        }
        c.releaseSavepoint(all);
        for (int i = 0; i < deferred.size(); i++) {
            Deferred d = deferred.get(i);
            if (refused.contains(i)) {
                refusals.deleteRefused(d.table(), d.key());
            } else if (gone.get(i)) {
                refusals.deleted(d.table(), d.key());
            }
        }
        deferred.clear();
    }

    private List<String> closingColumns(TableDef t) {
        List<String> out = new ArrayList<>();
        cycles.closing(t.name()).forEach(fk -> out.addAll(fk.columns()));
        return out;
    }

    private boolean exists(ForeignKeyDef fk, Object[] ref) throws SQLException {
        TableDef parent = withKeys.stream().filter(t -> t.name().equals(fk.referencedTable())).findFirst().orElseThrow();
        String sql = "SELECT 1 FROM " + dialect.quote(parent.name()) + " WHERE " + fk.referencedColumns().stream()
                .map(col -> dialect.quote(col) + " = " + dialect.placeholder(parent.column(col))).collect(Collectors.joining(" AND "));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ref.length; i++) {
                dialect.bind(ps, i + 1, parent.column(fk.referencedColumns().get(i)), ref[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Object[] current(TableDef t, Object[] key) throws SQLException {
        String sql = "SELECT " + t.columns().stream().map(col -> dialect.quote(col.name())).collect(Collectors.joining(", "))
                + " FROM " + dialect.quote(t.name()) + " WHERE " + keyPredicate(t);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindKey(ps, t, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Object[] row = new Object[t.columns().size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = dialect.read(rs, i + 1, t.columns().get(i));
                }
                return row;
            }
        }
    }

    /** Sets {@code columns} of the row {@code key} to their values in {@code row} (a full row in table order). */
    private void set(TableDef t, List<String> columns, Object[] row, Object[] key) throws SQLException {
        String sql = "UPDATE " + dialect.quote(t.name()) + " SET " + columns.stream()
                .map(col -> dialect.quote(col) + " = " + dialect.placeholder(t.column(col))).collect(Collectors.joining(", "))
                + " WHERE " + keyPredicate(t);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String col : columns) {
                dialect.bind(ps, i++, t.column(col), row[t.columnIndex(col)]);
            }
            List<ColumnDef> keys = t.keyColumns();
            for (int k = 0; k < keys.size(); k++) {
                dialect.bind(ps, i++, keys.get(k), key[k]);
            }
            ps.executeUpdate();
        }
    }

    /** Puts back what a row that cannot be completed replaced: its previous version, or no row. */
    private void restore(TableDef t, Object[] key, Object[] previous) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            if (previous == null) {
                try (PreparedStatement ps = c.prepareStatement(deleteSql(t))) {
                    bindKey(ps, t, key);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(dialect.upsertSql(t))) {
                    for (int i = 0; i < previous.length; i++) {
                        dialect.bind(ps, i + 1, t.columns().get(i), previous[i]);
                    }
                    ps.executeUpdate();
                }
            }
            c.releaseSavepoint(sp);
        } catch (SQLException e) {
            // Rows written since reference it: it stays as written, its closing columns NULL, blocked until it applies.
            c.rollback(sp);
            if (dialect.classify(e).kind() != SqlFailure.Kind.ROW) {
                throw e;
            }
        }
    }

    private String deleteSql(TableDef t) {
        return "DELETE FROM " + dialect.quote(t.name()) + " WHERE " + keyPredicate(t);
    }

    private String keyPredicate(TableDef t) {
        return t.keyColumns().stream().map(k -> dialect.quote(k.name()) + " = " + dialect.placeholder(k)).collect(Collectors.joining(" AND "));
    }

    private void bindKey(PreparedStatement ps, TableDef t, Object[] key) throws SQLException {
        for (int i = 0; i < key.length; i++) {
            dialect.bind(ps, i + 1, t.keyColumns().get(i), key[i]);
        }
    }
}
