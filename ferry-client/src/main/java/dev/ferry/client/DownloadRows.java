package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.SqlFailure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes downloaded rows into the remote inside one local transaction opened with {@code applying = 1},
 * so the writes are not tracked as local changes (no echo). A row with a local change is never
 * overwritten; what happens to it instead is the {@link LocalChangeRule} of the caller: a sync skips
 * it (it goes up with the next upload), a download file refuses the whole file. A downloaded delete
 * the remote's foreign keys refuse keeps the row and marks it {@code ROW_DELETE_BLOCKED}. Nothing is
 * visible to other connections until {@link #commit}. Not thread-safe; use for one download.
 */
final class DownloadRows {
    /** Decides about a downloaded row whose key has a {@code ferry_pending} entry in {@code state}. */
    @FunctionalInterface
    interface LocalChangeRule {
        /** The sync's rule: every row with a local change or error keeps its local version. */
        LocalChangeRule KEEP_LOCAL = (table, key, state) -> { };

        /** Called instead of writing the row; may throw to stop the download. */
        void met(TableDef table, Object[] key, String state);
    }

    private final Connection c;
    private final RemoteDialect dialect;
    private final PendingRows pending;
    private final String remoteId;
    private final LocalChangeRule rule;
    private final SyncListener listener;
    private final Map<String, TableCounts> counts;
    private final Map<String, Statements> statements = new HashMap<>();
    private final boolean recheck;
    private boolean open;

    DownloadRows(Connection c, RemoteDialect dialect, PendingRows pending, String remoteId, LocalChangeRule rule, SyncListener listener,
                 Map<String, TableCounts> counts) {
        this.c = c;
        this.dialect = dialect;
        this.pending = pending;
        this.remoteId = remoteId;
        this.rule = rule;
        this.listener = listener;
        this.counts = counts;
        this.recheck = dialect.localWritesInterleaveWithDownloads();
    }

    private record Statements(PreparedStatement upsert, PreparedStatement delete, PreparedStatement lookup) {
    }

    /** Opens the download transaction (idempotent): from here on, writes of this connection are not tracked. */
    void begin() {
        if (open) {
            return;
        }
        listener.phase("download");
        try {
            RemoteState.update(c, "applying = 1");
            open = true;
        } catch (SQLException e) {
            throw local("starting the download", e);
        }
    }

    void upsert(TableDef t, Object[] values) {
        try {
            Statements s = statements(t);
            if (keptLocal(s, t, t.keyOf(values))) {
                return;
            }
            for (int i = 0; i < values.length; i++) {
                dialect.bind(s.upsert(), i + 1, t.columns().get(i), values[i]);
            }
            Savepoint sp = recheck ? c.setSavepoint() : null;
            s.upsert().executeUpdate();
            if (undoneForLocalChange(sp, s, t, t.keyOf(values))) {
                return;
            }
            count(t);
        } catch (SQLException e) {
            throw local("applying a downloaded row of " + t.name(), e);
        }
    }

    void delete(TableDef t, Object[] key) {
        try {
            Statements s = statements(t);
            if (keptLocal(s, t, key)) {
                return;
            }
            for (int i = 0; i < key.length; i++) {
                dialect.bind(s.delete(), i + 1, t.keyColumns().get(i), key[i]);
            }
            Savepoint sp = recheck ? c.setSavepoint() : null;
            try {
                int deleted = s.delete().executeUpdate();
                if (!undoneForLocalChange(sp, s, t, key) && deleted > 0) {
                    count(t);
                }
            } catch (SQLException e) {
                if (sp != null) {
                    c.rollback(sp);
                }
                SqlFailure f = dialect.classify(e);
                if (f.kind() != SqlFailure.Kind.ROW || f.rowCode() != ErrorCode.ROW_FOREIGN_KEY_VIOLATION) {
                    throw e;
                }
                // The statement failed alone; the download transaction goes on (SQLite and H2 roll back
                // only the failing statement).
                pending.markDeleteBlocked(c, t, key, "the server deleted this row, but local rows still reference it;"
                        + " it was kept: delete or fix the referencing rows, then delete it");
                counts.computeIfPresent(t.name(), (k, v) -> v.plusErrors(1));
            }
        } catch (SQLException e) {
            throw local("applying a downloaded delete of " + t.name(), e);
        }
    }

    /** Records the new download position and time, and commits the download with them. */
    void commit(long position, String downloadTime) {
        try {
            begin();
            RemoteState.update(c, "last_download = ?, last_download_time = ?, applying = 0", position, downloadTime);
            // Durable before the server is told the position (the acknowledgement) or a file is reported applied.
            dialect.commitDurably(c);
            open = false;
        } catch (SQLException e) {
            throw local("committing the download", e);
        } finally {
            closeStatements();
        }
    }

    /** Rolls back a download that did not complete; the remote stays exactly as before it. */
    void abort() {
        closeStatements();
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is already unusable; the transaction is gone either way
        }
        open = false;
    }

    /**
     * After a write under {@code sp} (null: the dialect needs no second look): if a local change to the
     * row was committed meanwhile, rolls the write back so the local version stands, and reports it.
     */
    private boolean undoneForLocalChange(Savepoint sp, Statements s, TableDef t, Object[] key) throws SQLException {
        if (sp == null) {
            return false;
        }
        String state = pending.localState(s.lookup(), t, key);
        if (state == null) {
            c.releaseSavepoint(sp);
            return false;
        }
        c.rollback(sp);
        rule.met(t, key, state);
        return true;
    }

    private boolean keptLocal(Statements s, TableDef t, Object[] key) throws SQLException {
        String state = pending.localState(s.lookup(), t, key);
        if (state == null) {
            return false;
        }
        rule.met(t, key, state);
        return true;
    }

    private Statements statements(TableDef t) throws SQLException {
        Statements s = statements.get(t.name());
        if (s == null) {
            String delete = "DELETE FROM " + dialect.quote(t.name()) + " WHERE " + t.keyColumns().stream()
                    .map(k -> dialect.quote(k.name()) + " = " + dialect.placeholder(k)).collect(Collectors.joining(" AND "));
            s = new Statements(c.prepareStatement(dialect.upsertSql(t)), c.prepareStatement(delete), c.prepareStatement(pending.lookupSql(t)));
            statements.put(t.name(), s);
        }
        return s;
    }

    private void count(TableDef t) {
        TableCounts tc = counts.computeIfPresent(t.name(), (k, v) -> v.plusDownloaded(1));
        if (tc != null) {
            listener.downloaded(t.name(), tc.downloaded());
        }
    }

    private void closeStatements() {
        for (Statements s : statements.values()) {
            try {
                s.upsert().close();
                s.delete().close();
                s.lookup().close();
            } catch (SQLException ignored) {
                // closing prepared statements of a finished transaction
            }
        }
        statements.clear();
    }

    private FerryException local(String doing, SQLException e) {
        return new FerryException(ErrorCode.DATABASE_ERROR, doing + " on remote " + remoteId + " failed: " + e.getMessage(), null, e);
    }
}
