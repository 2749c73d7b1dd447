package dev.ferry.server.session;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import dev.ferry.protocol.KeyRange;
import dev.ferry.protocol.RejectedRow;
import dev.ferry.protocol.SyncRequestHeader;
import dev.ferry.protocol.SyncRequestReader;
import dev.ferry.protocol.SyncResponseWriter;
import dev.ferry.protocol.UploadOutcome;
import dev.ferry.server.auth.Principal;
import dev.ferry.server.download.EchoFilter;
import dev.ferry.server.download.ExtraKeys;
import dev.ferry.server.partition.PartitionView;
import dev.ferry.server.upload.HeldUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One sync request on the server, as an explicit state machine with one method per transition:
 * {@link #authenticate} (NEW → AUTHENTICATED), {@link #authorize} (→ AUTHORIZED: the header read, the
 * user allowed to act for its remote id), {@link #receive} (→ RECEIVED: header checked, the whole
 * upload held, seed 003), {@link #apply} (→ APPLIED: the progress rule judged under the remote's row
 * lock and the upload applied in one transaction, replayed after deadlocks, committed with the new
 * progress value), then {@link #respond} (→ RESPONDED: status, per-row results, stamping, the
 * download from one snapshot, the end record). Any failure moves it to FAILED and is logged once.
 * Everything the next request needs is in the consolidated database when a transition returns; the
 * session itself lives only as long as its HTTP exchange (no server memory between requests). Use
 * once, from one thread.
 */
public final class ServerSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSession.class);

    /** The states of a server session, in order. */
    enum State { NEW, AUTHENTICATED, AUTHORIZED, RECEIVED, APPLIED, RESPONDED, FAILED }

    /** The response status a request gets, as sent on the wire. */
    enum Status {
        OK("ok"), UPLOAD_ALREADY_APPLIED("upload-already-applied"), UPLOAD_NOT_APPLIED("upload-not-applied"),
        CONSOLIDATED_RESTORED("consolidated-restored");

        final String wire;

        Status(String wire) {
            this.wire = wire;
        }
    }

    /**
     * What the APPLIED state holds: the status, the upload's outcome (null when none), whether a download
     * follows, the server's progress for a {@code CONSOLIDATED_RESTORED} answer (else -1), and a warning
     * for the sync log (null when none).
     */
    record Applied(Status status, UploadOutcome outcome, boolean downloads, long serverProgress, String warning) {
        Applied(Status status, UploadOutcome outcome, boolean downloads) {
            this(status, outcome, downloads, -1, null);
        }

        Applied withWarning(String w) {
            return new Applied(status, outcome, downloads, serverProgress, w);
        }
    }

    private final SyncService engine;
    private Principal principal;
    private String user;
    private final Instant started = Instant.now();
    private State state = State.NEW;
    private SyncRequestReader reader;
    private SyncRequestHeader header;
    private HeldUpload held;
    private Map<TableDef, List<Object[]>> refetch = Map.of();
    private Applied applied;
    private PartitionView view;
    private boolean schemaChanged;

    ServerSession(SyncService engine) {
        this.engine = engine;
    }

    State state() {
        return state;
    }

    /** NEW → AUTHENTICATED: {@code authentication} proves who the request is from (a remote's credential, issue 11). */
    void authenticate(Supplier<Principal> authentication) {
        expect(State.NEW);
        principal = authentication.get();
        user = principal.user();
        state = State.AUTHENTICATED;
    }

    /**
     * AUTHENTICATED → AUTHORIZED: reads the header and refuses ({@code FORBIDDEN}) a user who may not act
     * for its remote id, before the upload is read and before anything is written (issue 10, defect 4).
     */
    void authorize(InputStream body, int maxValueChars) {
        expect(State.AUTHENTICATED);
        reader = new SyncRequestReader(body, maxValueChars);
        header = reader.readHeader();
        engine.authorize(principal, header);
        state = State.AUTHORIZED;
    }

    /**
     * AUTHORIZED → RECEIVED: checks the header and holds the whole upload before anything is applied; the
     * request is read to its true end (a truncated or garbled body fails here, issue 11), and an upload of
     * more than {@code maxRows} rows is refused.
     */
    void receive(long spillThresholdRows, long maxRows) {
        expect(State.AUTHORIZED);
        held = new HeldUpload(spillThresholdRows);
        engine.checkIdentity(header);
        view = engine.viewOf(header.remoteId());
        schemaChanged = engine.schemaChanged(header, view);
        if (!schemaChanged) {
            // A remote on another schema version may lack tables the server added; its rows are read against the server's tables.
            engine.checkTables(header, view);
        }
        java.util.function.Function<String, TableDef> tables = schemaChanged
                ? name -> view.tracking().byName().containsKey(name) ? view.tracking().schema().table(name) : null
                : view.tracking().schema()::table;
        reader.readUpload(tables, (table, row) -> {
            if (held.rowCount() >= maxRows) {
                throw new FerryException(ErrorCode.REQUEST_TOO_LARGE, "the upload of remote " + header.remoteId() + " has more than "
                        + maxRows + " rows (limits.rowsPerUpload)", "sync more often, or raise limits.rowsPerUpload on the server");
            }
            held.add(table, row);
        }, schemaChanged);
        if (!header.mode().uploads() && held.rowCount() > 0) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a download-only sync of remote " + header.remoteId() + " carried upload rows");
        }
        if (header.isProbe() && held.rowCount() > 0) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a probe of remote " + header.remoteId() + " carried upload rows");
        }
        if (!header.isProbe() && header.mode().uploads() && header.uploadId() == null) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "an upload of remote " + header.remoteId() + " has no uploadId");
        }
        refetch = reader.refetch();
        state = State.RECEIVED;
    }

    /** RECEIVED → APPLIED: judges the progress counter and applies the upload, all in one replayable transaction. */
    void apply() {
        expect(State.RECEIVED);
        applied = engine.commitUpload(user, header, held, view);
        state = State.APPLIED;
    }

    /** APPLIED → RESPONDED: streams status, upload outcome and (unless the request was a probe or upload-only) the download. */
    public void respond(OutputStream out) {
        expect(State.APPLIED);
        UploadOutcome outcome = applied.outcome();
        long downloaded = 0;
        FerryException failure = null;
        SyncResponseWriter w = new SyncResponseWriter(out);
        try {
            w.start(engine.consolidatedId(), applied.status().wire);
            if (applied.status() == Status.CONSOLIDATED_RESTORED) {
                w.restored(applied.serverProgress());
            }
            if (outcome != null) {
                w.upload(outcome);
            }
            if (schemaChanged && applied.status() == Status.OK) {
                w.schemaChanged(engine.schemaVersion(view));
            }
            if (applied.status() == Status.OK) {
                List<KeyRange> ranges = engine.keyRangesFor(header, view);
                if (!ranges.isEmpty()) {
                    w.keyRanges(ranges);
                }
            }
            if (applied.downloads() && !schemaChanged) {
                engine.stampChanges();
                long position = engine.downloads().write(view, header.remoteId(), header.lastDownload(), header.holdsRows(),
                        new EchoFilter(header.incarnation(), held.rowCount() > 0), extraKeys(outcome), w);
                downloaded = w.downloadRows();
                engine.recordHandedOut(header.remoteId(), position);
                w.endDownload(position, engine.now().toString());
            }
            w.end();
            state = State.RESPONDED;
        } catch (Exception e) {
            failure = e instanceof FerryException f ? f
                    : new FerryException(ErrorCode.TRANSPORT_FAILED, "streaming the download to remote " + header.remoteId() + " failed: " + e.getMessage(), null, e);
            LOG.warn("remote {}: download failed: {}", header.remoteId(), failure.getMessage());
            w.error(failure);
            state = State.FAILED;
        } finally {
            engine.logSync(header, user, started, failure == null ? outcomeWord() : "download-failed",
                    outcome == null ? null : outcome.number(), held.rowCount(), outcome == null ? 0 : outcome.rejected().size(), downloaded,
                    outcome == null ? 0 : outcome.retries(), failure == null ? applied.warning() : failure.getMessage(), failure);
        }
    }

    /** Any transition failed: logs the attempt (once the header is known) and frees the held upload. */
    FerryException fail(RuntimeException e) {
        state = State.FAILED;
        FerryException fe = e instanceof FerryException f ? f
                : new FerryException(ErrorCode.INTERNAL, "sync" + (header == null ? "" : " of remote " + header.remoteId())
                        + " failed on the server", "see the server log; report it if it persists", e);
        if (!(e instanceof FerryException)) {
            // The answer names no Java internals (issue 11); the log has the whole story.
            LOG.error("sync{} failed", header == null ? "" : " of remote " + header.remoteId(), e);
        }
        if (header != null) {
            engine.logSync(header, user, started, "failed", null, held == null ? 0 : held.rowCount(), 0, 0, 0, fe.getMessage(), fe);
        }
        close();
        return fe;
    }

    private String outcomeWord() {
        return switch (applied.status()) {
            case OK -> "ok";
            case UPLOAD_ALREADY_APPLIED -> "ack-recovered";
            case UPLOAD_NOT_APPLIED -> "probe-not-applied";
            case CONSOLIDATED_RESTORED -> "consolidated-restored";
        };
    }

    /**
     * Rows the download carries whatever their position: those the remote asked for again (it could not
     * take them, or lost them: docs/PROTOCOL.md "refetch"), and the deletes this upload refused, so that a
     * refused delete brings the server's row back instead of leaving the remote unable to take the rows
     * that depend on it (issue 10, defect 1).
     */
    private Map<TableDef, ExtraKeys> extraKeys(UploadOutcome outcome) {
        Map<TableDef, ExtraKeys> extra = new LinkedHashMap<>();
        refetch.forEach((t, keys) -> extra.computeIfAbsent(t, k -> new ExtraKeys(new ArrayList<>(), new ArrayList<>())).refetched().addAll(keys));
        if (outcome != null && applied.status() == Status.OK && !outcome.rejected().isEmpty()) {
            Map<TableDef, List<Object[]>> rejectedKeys = new LinkedHashMap<>();
            for (RejectedRow r : outcome.rejected()) {
                TableDef t = view.tracking().schema().table(r.table());
                rejectedKeys.computeIfAbsent(t, k -> new ArrayList<>()).add(canonicalKey(t, r.key()));
            }
            // Only a refused delete leaves the remote without the row; a refused insert or update keeps
            // the remote's own version, in error, which no download overwrites.
            rejectedKeys.forEach((t, keys) -> {
                List<Object[]> deletes = held.deletedAmong(t, keys);
                if (!deletes.isEmpty()) {
                    extra.computeIfAbsent(t, k -> new ExtraKeys(new ArrayList<>(), new ArrayList<>())).rejected().addAll(deletes);
                }
            });
        }
        return extra;
    }

    /** A rejected row's key as reported on the wire (integers as numbers, every other type as canonical text) → canonical values. */
    private static Object[] canonicalKey(TableDef t, List<Object> wire) {
        List<ColumnDef> cols = t.keyColumns();
        Object[] key = new Object[wire.size()];
        for (int i = 0; i < key.length; i++) {
            Object v = wire.get(i);
            key[i] = v instanceof String text ? Values.parse(cols.get(i).type(), text) : Values.canonical(cols.get(i).type(), v);
        }
        return key;
    }

    private void expect(State s) {
        if (state != s) {
            throw new IllegalStateException("server session is " + state + ", not " + s);
        }
    }

    @Override
    public void close() {
        if (held != null) {
            held.close();
        }
    }
}
