package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.ReservedKeys;
import dev.ferry.protocol.HeldKeys;
import dev.ferry.protocol.KeyRange;
import dev.ferry.protocol.RejectedRow;
import dev.ferry.protocol.SyncRequestHeader;
import dev.ferry.protocol.UploadOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * One sync of a remote, as an explicit state machine with one method per transition (issue 10):
 *
 * <pre>
 * IDLE ─probe()─▶ PROBING ─(answer)─▶ IDLE          only when an earlier upload was never answered
 * IDLE ─upload()─▶ UPLOADING ─settle()─▶ SETTLING ─beginDownload()─▶ DOWNLOADING ─downloaded()─▶ ACKNOWLEDGING ─acknowledge()─▶ DONE
 *      (download-only: IDLE ─request()─▶ UPLOADING with no rows; upload-only: SETTLING ─▶ ACKNOWLEDGING)
 * PROBING or UPLOADING ─resend()─▶ RECOVERING ─▶ IDLE, then upload() once more: the consolidated database lost uploads
 * any ─failure─▶ FAILED
 * </pre>
 *
 * What each transition does to a row's state is decided in one place, {@link PendingRows} (the
 * settling rules, beside the trigger rules of docs/STATE-TABLES.md), and what a download does to a row
 * in {@link DownloadRows}. Every step the protocol relies on is committed locally before the next
 * step that depends on it starts: the sent marks and the pending upload's number and id before the
 * request leaves; the settled upload before the download; the download with its position. So a crash
 * between any two transitions leaves a state the next sync recovers from. Use once, under the remote's
 * sync lock, from one thread.
 *
 * <p>The acknowledgement is a request of its own right after the download committed, so the server's
 * record of the remote's last download (which download files are cut from, and partition holdings
 * purged by) is current when the sync ends; losing it is harmless, and the next sync's request carries
 * the same position ({@code lastDownload}), which the server records too (issue 12).
 */
final class ClientSession {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    /** The states of a client session. */
    enum State { IDLE, PROBING, UPLOADING, RECOVERING, SETTLING, DOWNLOADING, ACKNOWLEDGING, DONE, FAILED }

    private final Connection c;
    private final RemoteDialect dialect;
    private final RemoteTables tables;
    private final PendingRows pending;
    private final SyncListener listener;
    private final Function<RemoteState, HttpTransport> transports;
    private final Map<String, TableCounts> counts;
    private State state = State.IDLE;
    private RemoteState remote;
    private boolean recovered;
    private int retries;
    private long lastDownload = -1;
    private boolean resent;
    private String schemaChangedTo;

    ClientSession(Connection c, RemoteDialect dialect, RemoteTables tables, SyncListener listener, Function<RemoteState, HttpTransport> transports) {
        this.c = c;
        this.dialect = dialect;
        this.tables = tables;
        this.pending = new PendingRows(dialect, tables);
        this.listener = listener;
        this.transports = transports;
        this.counts = emptyCounts(tables);
    }

    State state() {
        return state;
    }

    /** The schema version the server serves, when this session learned it is not the remote's (docs/SCHEMAS.md "Schema changes"); else null. */
    String schemaChangedTo() {
        return schemaChangedTo;
    }

    /** Runs the whole session for {@code mode}; on failure the remote is left in a state the next sync recovers from. */
    SyncResult run(SyncMode mode) throws SQLException, IOException {
        try {
            remote = readState();
            if (remote.sentUpload() != null) {
                probe(mode);
            }
            request(mode);
            if (state == State.RECOVERING) {
                // The consolidated database went back in time; the lost uploads' rows are pending again.
                remote = readState();
                state = State.IDLE;
                request(mode);
            }
            acknowledge();
            state = State.DONE;
            return new SyncResult(new ArrayList<>(counts.values()), remote.progress(), remote.lastDownload(), retries, recovered);
        } catch (SQLException | IOException | RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /**
     * IDLE → PROBING → IDLE: an earlier upload was sent and never answered. Ask the server about that
     * very upload (number and id) before building a new one; a probe carries no rows and the server
     * commits nothing for it (defect 16). Committed: settle its rows as applied; not committed: forget
     * the marks, every change stays pending.
     */
    private void probe(SyncMode mode) throws SQLException, IOException {
        expect(State.IDLE);
        state = State.PROBING;
        SyncRequestHeader header = new SyncRequestHeader(remote.remoteId(), remote.consolidatedId(), remote.progress(), null,
                remote.sentUpload(), remote.lastDownload(), false, mode.wire(), tables.names(), Incarnation.read(c));
        send(header, Map.of(), false, true);
        remote = readState();
        state = State.IDLE;
    }

    /**
     * IDLE → UPLOADING: in one local transaction, mark every pending row as sent, give the upload its
     * number and a fresh id, and stream it into a temporary file; commit; then send it. A download-only
     * sync sends the same request with no rows and no upload id. The request also asks again for rows
     * this remote could not take or must get back ({@link #keysToRefetch}).
     */
    private void request(SyncMode mode) throws SQLException, IOException {
        expect(State.IDLE);
        state = State.UPLOADING;
        boolean uploads = mode != SyncMode.DOWNLOAD_ONLY;
        String uploadId = uploads ? UUID.randomUUID().toString() : null;
        Map<TableDef, List<Object[]>> refetch = mode == SyncMode.UPLOAD_ONLY ? Map.of() : keysToRefetch();
        Map<String, HeldKeys> keys = keysLeft();
        if (uploads) {
            pending.markSent(c);
            RemoteState.update(c, "pending_upload = progress + 1, pending_upload_id = ?", uploadId);
        }
        SyncRequestHeader header = new SyncRequestHeader(remote.remoteId(), remote.consolidatedId(), remote.progress(), uploadId, null,
                remote.lastDownload(), remote.lastDownload() == 0 && holdsRows(), mode.wire(), tables.names(), Incarnation.read(c), keys,
                SchemaVersionRecord.read(c));
        send(header, refetch, uploads, false);
        remote = readState();
    }

    private void send(SyncRequestHeader header, Map<TableDef, List<Object[]>> refetch, boolean uploads, boolean probe)
            throws SQLException, IOException {
        Path body = Files.createTempFile("ferry-upload-", ".json.gz");
        try {
            listener.phase("upload");
            try {
                Map<String, Long> uploaded = new UploadBuilder(dialect, tables, pending).write(c, header, body, uploads, refetch, listener);
                // The marks must outlive a crash once the upload may reach the server (issue 10, defect 17).
                dialect.commitDurably(c);
                uploaded.forEach((t, n) -> counts.computeIfPresent(t, (k, v) -> v.plusUploaded(n)));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            Response response = new Response(probe);
            try {
                transports.apply(remote).sync(body, response);
            } catch (RuntimeException e) {
                response.rows.abort();
                if (uploads && e instanceof FerryException fe && (fe.code() == ErrorCode.PROGRESS_MISMATCH
                        || fe.code() == ErrorCode.REMOTE_REINITIALIZED || fe.code() == ErrorCode.FORBIDDEN)) {
                    // Refused before anything was applied, by a server at another counter (or whose remote id is
                    // another database's, or another user's): forget the marks, so the next sync does not ask
                    // about an upload this server never took.
                    pending.settleNotApplied(c);
                    RemoteState.update(c, "pending_upload = NULL, pending_upload_id = NULL");
                    c.commit();
                }
                throw e;
            }
        } finally {
            Files.deleteIfExists(body);
        }
    }

    /**
     * UPLOADING (or PROBING) → SETTLING: the server committed the upload (or the probed one): settle
     * every sent row by the per-row results and what the application did meanwhile, store the new
     * progress counter and forget the pending upload, all in one local transaction, committed before
     * the download starts.
     */
    private void settle(UploadOutcome o) {
        if (state != State.UPLOADING && state != State.PROBING) {
            throw new IllegalStateException("settling in state " + state);
        }
        listener.phase("apply-results");
        try {
            pending.settleApplied(c, o.number(), o.rejected());
            RemoteState.update(c, "progress = ?, pending_upload = NULL, pending_upload_id = NULL, last_upload_time = ?", o.number(), o.uploadTime());
            dialect.commitDurably(c);
        } catch (SQLException e) {
            rollbackQuietly();
            throw local("recording the upload's results", e);
        }
        if (o.alreadyApplied()) {
            recovered = true;
        }
        retries = o.retries();
        for (RejectedRow r : o.rejected()) {
            counts.computeIfPresent(r.table(), (k, v) -> v.plusErrors(1));
        }
        for (Map.Entry<String, Long> e : o.conflicts().entrySet()) {
            counts.computeIfPresent(e.getKey(), (k, v) -> v.plusConflicts(e.getValue()));
        }
        state = State.SETTLING;
    }

    /**
     * PROBING or UPLOADING → RECOVERING: the consolidated database has this remote's uploads only up to
     * {@code serverProgress} (restored from a backup, failed over). Nothing was applied. The rows of the
     * later uploads become pending again against the versions the server has again ({@link UploadLog}),
     * the counter goes back to the server's, and the session uploads once more. Allowed once per session.
     */
    private void resend(long serverProgress) {
        if ((state != State.UPLOADING && state != State.PROBING) || resent) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "remote " + remote.remoteId() + " was told twice in one sync that the consolidated"
                    + " database went back in time");
        }
        try {
            long rows = UploadLog.resend(c, dialect, tables, pending, remote.remoteId(), remote.progress(), serverProgress);
            dialect.commitDurably(c);
            LOG.warn("remote {}: the consolidated database has its uploads only up to {} (it had {}): sending {} rows again",
                    remote.remoteId(), serverProgress, remote.progress(), rows);
        } catch (SQLException e) {
            rollbackQuietly();
            throw local("preparing the lost uploads to be sent again", e);
        }
        resent = true;
        state = State.RECOVERING;
    }

    /** PROBING → IDLE when the server never committed the probed upload: forget the marks, keep every change pending. */
    private void forgetUnappliedUpload() {
        try {
            pending.settleNotApplied(c);
            RemoteState.update(c, "pending_upload = NULL, pending_upload_id = NULL");
            dialect.commitDurably(c);
        } catch (SQLException e) {
            rollbackQuietly();
            throw local("forgetting an upload the server never committed", e);
        }
    }

    /** UPLOADING or SETTLING → DOWNLOADING: the first downloaded section opens the download's local transaction. */
    private void beginDownload() {
        if (state == State.UPLOADING || state == State.SETTLING) {
            state = State.DOWNLOADING;
        }
    }

    /** DOWNLOADING → ACKNOWLEDGING: the end record proved the download complete; commit it with its position. */
    private void downloaded(Response response, long position, String downloadTime) {
        response.rows.commit(position, downloadTime);
        lastDownload = position;
        state = State.ACKNOWLEDGING;
    }

    /** → DONE: tell the server the new download position. Losing this is harmless: the remote stores its own position. */
    private void acknowledge() {
        if (lastDownload < 0) {
            return;
        }
        try {
            transports.apply(remote).ack(remote.remoteId(), lastDownload);
        } catch (FerryException e) {
            LOG.debug("download acknowledgement for {} not delivered: {}", remote.remoteId(), e.getMessage());
        }
    }

    /** Rows the server must send whatever their position: blocked downloads, kept rows it deleted, refused deletes not yet undone. */
    private Map<TableDef, List<Object[]>> keysToRefetch() throws SQLException {
        Map<TableDef, List<Object[]>> keys = new LinkedHashMap<>(pending.keysToRefetch(c));
        DownloadBlocks.load(c, dialect, tables).keys(tables).forEach((t, k) -> keys.computeIfAbsent(t, x -> new ArrayList<>()).addAll(k));
        SkippedDownloads.keysToRefetch(c, tables).forEach((t, k) -> keys.computeIfAbsent(t, x -> new ArrayList<>()).addAll(k));
        c.commit();
        return keys;
    }

    /** What the request reports of this remote's key ranges: keys left per table that has any (the server hands ranges to the others). */
    private Map<String, HeldKeys> keysLeft() throws SQLException {
        Map<String, HeldKeys> held = new LinkedHashMap<>();
        dialect.keyRanges().keysLeft(c).forEach((t, n) -> held.put(t, new HeldKeys(n)));
        c.commit();
        return held;
    }

    /**
     * The key ranges the server handed out, stored durably at once, before the download: they are this
     * remote's whether or not the rest of the response arrives (the server never hands them out again).
     */
    private void receiveKeyRanges(List<KeyRange> ranges) {
        Map<String, List<ReservedKeys>> byTable = new LinkedHashMap<>();
        for (KeyRange r : ranges) {
            byTable.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(new ReservedKeys(r.first(), r.last()));
        }
        try {
            for (Map.Entry<String, List<ReservedKeys>> e : byTable.entrySet()) {
                dialect.keyRanges().receive(c, tables.table(e.getKey()), e.getValue());
            }
            dialect.commitDurably(c);
        } catch (SQLException e) {
            rollbackQuietly();
            throw local("recording the key ranges the server handed out", e);
        }
        LOG.debug("remote {}: key ranges received: {}", remote.remoteId(), ranges);
    }

    /** True when a synchronized table has a row: a remote without a download position then needs recorded deletes too. */
    private boolean holdsRows() throws SQLException {
        for (TableDef t : tables.tables()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM " + dialect.quote(t.name()) + " LIMIT 1")) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private RemoteState readState() throws SQLException {
        RemoteState s = RemoteState.read(c);
        c.commit();
        return s;
    }

    private void expect(State s) {
        if (state != s) {
            throw new IllegalStateException("client session is " + state + ", not " + s);
        }
    }

    private void rollbackQuietly() {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is already unusable; the transaction is gone either way
        }
    }

    private FerryException local(String doing, SQLException e) {
        return new FerryException(ErrorCode.DATABASE_ERROR, doing + " on remote " + remote.remoteId() + " failed: " + e.getMessage(), null, e);
    }

    static Map<String, TableCounts> emptyCounts(RemoteTables tables) {
        Map<String, TableCounts> m = new LinkedHashMap<>();
        for (TableDef t : tables.tables()) {
            m.put(t.name(), new TableCounts(t.name(), 0, 0, 0, 0));
        }
        return m;
    }

    /** Receives one response and turns its parts into this session's transitions. */
    private final class Response extends DownloadStream {
        private final boolean probe;

        Response(boolean probe) {
            super(tables, new DownloadRows(c, dialect, tables, pending, remote.remoteId(), DownloadRows.LocalChangeRule.KEEP_LOCAL, listener, counts));
            this.probe = probe;
        }

        @Override
        public void start(String consolidatedId, String status) {
            if (remote.consolidatedId() != null && !remote.consolidatedId().equals(consolidatedId)) {
                throw new FerryException(ErrorCode.CONSOLIDATED_MISMATCH, "remote " + remote.remoteId() + " belongs to consolidated database "
                        + remote.consolidatedId() + " but the server answered for " + consolidatedId);
            }
            try {
                RemoteState.update(c, "consolidated_id = ?", consolidatedId);
                c.commit();
            } catch (SQLException e) {
                throw local("recording the server's identity", e);
            }
            boolean expected = status.equals("consolidated-restored")
                    || (probe ? status.equals("upload-already-applied") || status.equals("upload-not-applied") : status.equals("ok"));
            if (!expected) {
                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "the server answered '" + status + "' to a "
                        + (probe ? "probe" : "sync") + " of remote " + remote.remoteId());
            }
            if (probe && status.equals("upload-not-applied")) {
                forgetUnappliedUpload();
            }
        }

        @Override
        public void restored(long serverProgress) {
            resend(serverProgress);
        }

        @Override
        public void upload(UploadOutcome outcome) {
            settle(outcome);
        }

        @Override
        public void keyRanges(List<KeyRange> ranges) {
            receiveKeyRanges(ranges);
        }

        @Override
        public void schemaChanged(String version) {
            schemaChangedTo = version;
        }

        @Override
        public void beginTable(TableDef table) {
            beginDownload();
            super.beginTable(table);
        }

        @Override
        public void downloadComplete(long position, String downloadTime, long rowCount) {
            downloaded(this, position, downloadTime);
        }
    }
}
