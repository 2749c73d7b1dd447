package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.SqlFailure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The supported ways out for one local change that the server will not take (issue 10, defect 11):
 * {@link #discard} drops it and puts the row back to the version the server has, {@link #retry} makes
 * a row in state {@code error} pending again so the next sync uploads it. Each runs in one local
 * transaction of the remote's connection and commits it, or rolls it back and changes nothing; the
 * caller holds the remote's sync lock, so no sync is under way. Not thread-safe, like the connection.
 */
final class LocalChangeCommands {
    private final Connection c;
    private final RemoteDialect dialect;

    LocalChangeCommands(Connection c, RemoteDialect dialect) {
        this.c = c;
        this.dialect = dialect;
    }

    /** A row's {@code ferry_pending} entry. */
    private record Pending(TableDef table, String pk, String state, String oldImage, boolean inFlight) {
    }

    /**
     * Drops the row's local change, in state {@code error} or pending: the row gets back
     * {@code ferry_pending.old_image}, the version the server had when the remote last heard of it
     * (or is removed when the server never had it), and is synced again. Written with
     * {@code applying = 1}, so the write is not tracked as a new local change. A newer server version, if
     * any, arrives with the next sync.
     */
    DiscardOutcome discard(String table, String key) {
        return inTransaction("discarding the local change to " + table + " " + key, () -> {
            Pending p = pending(table, key);
            if (p.inFlight()) {
                throw new FerryException(ErrorCode.USAGE, "row " + p.pk() + " of " + p.table().name()
                        + " was sent in an upload whose answer never arrived, so the server may have applied it",
                        "run `ferry remote sync` first; discard the row afterwards if it still has a local change");
            }
            RemoteState.update(c, "applying = 1");
            DiscardOutcome outcome;
            try {
                outcome = p.oldImage() == null ? remove(p) : restore(p);
            } catch (SQLException e) {
                SqlFailure f = dialect.classify(e);
                if (f.kind() != SqlFailure.Kind.ROW) {
                    throw e;
                }
                throw new FerryException(f.rowCode(), "discarding the local change to row " + p.pk() + " of " + p.table().name()
                        + " would break the remote's constraints: " + e.getMessage(), p.oldImage() == null
                        ? "local rows still reference it: discard or delete them first"
                        : "the server's version needs rows the remote changed too: discard those first", e);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_pending WHERE tbl = ? AND pk = ?")) {
                ps.setString(1, p.table().name());
                ps.setString(2, p.pk());
                ps.executeUpdate();
            }
            RemoteState.update(c, "applying = 0");
            return outcome;
        });
    }

    /**
     * Makes a row in state {@code error} pending again, as the change it is locally (inserted, updated
     * or deleted, judged from the row and its old image), so the next sync uploads it; for after the
     * cause was fixed on the server.
     */
    RowState retry(String table, String key) {
        return inTransaction("retrying " + table + " " + key, () -> {
            Pending p = pending(table, key);
            if (!p.state().equals("error")) {
                throw new FerryException(ErrorCode.USAGE, "row " + p.pk() + " of " + p.table().name() + " is " + p.state()
                        + ", not in error: the next sync uploads it anyway", "only rows in state error can be retried");
            }
            boolean present = exists(p);
            String state = present ? (p.oldImage() == null ? "inserted" : "updated") : (p.oldImage() == null ? null : "deleted");
            if (state == null) {
                // Neither side has the row: nothing is left to upload.
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_pending WHERE tbl = ? AND pk = ?")) {
                    ps.setString(1, p.table().name());
                    ps.setString(2, p.pk());
                    ps.executeUpdate();
                }
                return new RowState(p.table().name(), p.pk(), "synced", null, null);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_pending SET state = ?, error_code = NULL, error_message = NULL"
                    + " WHERE tbl = ? AND pk = ?")) {
                ps.setString(1, state);
                ps.setString(2, p.table().name());
                ps.setString(3, p.pk());
                ps.executeUpdate();
            }
            return new RowState(p.table().name(), p.pk(), state, null, null);
        });
    }

    private DiscardOutcome restore(Pending p) throws SQLException {
        TableDef t = p.table();
        Object[] row = ImageJson.image(t, p.oldImage());
        try (PreparedStatement ps = c.prepareStatement(dialect.upsertSql(t))) {
            for (int i = 0; i < row.length; i++) {
                dialect.bind(ps, i + 1, t.columns().get(i), row[i]);
            }
            ps.executeUpdate();
        }
        return DiscardOutcome.RESTORED;
    }

    private DiscardOutcome remove(Pending p) throws SQLException {
        TableDef t = p.table();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + dialect.quote(t.name()) + " WHERE " + keyPredicate(t))) {
            bindKey(ps, t, ImageJson.key(t, p.pk()));
            ps.executeUpdate();
        }
        return DiscardOutcome.REMOVED;
    }

    private boolean exists(Pending p) throws SQLException {
        TableDef t = p.table();
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + dialect.quote(t.name()) + " WHERE " + keyPredicate(t))) {
            bindKey(ps, t, ImageJson.key(t, p.pk()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The row's entry; {@code USAGE} naming them for a table the remote does not synchronize or a row without local change. */
    private Pending pending(String table, String key) throws SQLException {
        TableDef t = table(table);
        Object[] values = KeyArgument.parse(t, key);
        try (PreparedStatement ps = c.prepareStatement("SELECT pk, state, old_image, sent_seq FROM ferry_pending WHERE tbl = ? AND pk = "
                + dialect.keyTextSql(t))) {
            ps.setString(1, t.name());
            dialect.bindKey(ps, 2, t, values);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new FerryException(ErrorCode.USAGE, "row " + key + " of " + t.name() + " has no local change (it is synced, or the"
                            + " remote has no such row)", "list the rows with local changes: SELECT table_name, pk, state FROM ferry_row_state"
                            + " WHERE state <> 'synced'");
                }
                String pk = rs.getString(1);
                String state = rs.getString(2);
                String oldImage = rs.getString(3);
                rs.getLong(4);
                return new Pending(t, pk, state, oldImage, !rs.wasNull());
            }
        }
    }

    private TableDef table(String name) throws SQLException {
        return RemoteTables.load(c).named(name);
    }

    private String keyPredicate(TableDef t) {
        return t.keyColumns().stream().map(k -> dialect.quote(k.name()) + " = " + dialect.placeholder(k)).collect(Collectors.joining(" AND "));
    }

    private void bindKey(PreparedStatement ps, TableDef t, Object[] key) throws SQLException {
        for (int i = 0; i < key.length; i++) {
            dialect.bind(ps, i + 1, t.keyColumns().get(i), key[i]);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T inTransaction(String doing, Work<T> work) {
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException e) {
            rollback(e);
            throw new FerryException(ErrorCode.DATABASE_ERROR, doing + " failed: " + e.getMessage(), null, e);
        } catch (RuntimeException e) {
            rollback(e);
            throw e;
        }
    }

    private void rollback(Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
