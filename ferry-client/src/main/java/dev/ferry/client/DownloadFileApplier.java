package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.protocol.SyncResponseReader;
import dev.ferry.protocol.UploadOutcome;
import dev.ferry.protocol.downloadfile.DownloadFile;
import dev.ferry.protocol.downloadfile.DownloadFileHeader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Applies a download file to a remote in one local transaction, after the checks of seed 001, each
 * refusing with its own error and leaving the remote exactly as it was:
 * <ol>
 *   <li>the file's last download is not after the remote's ({@code DOWNLOAD_FILE_MISSING_RANGE});</li>
 *   <li>the file's next last download is after the remote's ({@code DOWNLOAD_FILE_STALE});</li>
 *   <li>the file was created after the remote's last upload committed ({@code DOWNLOAD_FILE_PREDATES_UPLOAD}),
 *       and that upload was acknowledged ({@code DOWNLOAD_FILE_UPLOAD_UNCONFIRMED});</li>
 *   <li>no row in the file has a local change waiting to be uploaded ({@code DOWNLOAD_FILE_PENDING_ROWS}).</li>
 * </ol>
 * Before those, the file must be complete and unaltered, signed by the trusted key when the remote has
 * one, for this consolidated database, tables and remote. Positions stand for the seed's timestamps:
 * Ferry's download position is a change clock on the consolidated database, not a wall clock.
 */
final class DownloadFileApplier {
    private static final int SHOWN = 5;

    private final Connection c;
    private final RemoteDialect dialect;

    DownloadFileApplier(Connection c, RemoteDialect dialect) {
        this.c = c;
        this.dialect = dialect;
    }

    DownloadFileResult apply(DownloadFile file, PublicKey explicitKey, SyncListener listener) throws SQLException {
        RemoteState state = RemoteState.read(c);
        RemoteTables tables = RemoteTables.load(c);
        PublicKey trusted = explicitKey != null ? explicitKey : TrustedKey.read(c);
        c.commit();
        file.verify(trusted);
        DownloadFileHeader h = file.header();
        checkIdentity(h, state, tables);
        checkRange(h, state);
        checkUpload(h, state);

        Map<String, TableCounts> counts = ClientSession.emptyCounts(tables);
        Tally tally = new Tally();
        DownloadRows rows = new DownloadRows(c, dialect, tables, new PendingRows(dialect, tables), state.remoteId(), tally, listener, counts);
        FileBody body = new FileBody(h, tables, rows);
        try (InputStream in = file.openBody()) {
            new SyncResponseReader(in).read(body);
            if (!body.complete) {
                throw new FerryException(ErrorCode.DOWNLOAD_FILE_DAMAGED, "the download in the file ends without its position");
            }
            if (tally.pending > 0) {
                throw new FerryException(ErrorCode.DOWNLOAD_FILE_PENDING_ROWS, tally.pending + " row(s) in the file have local changes on remote "
                        + state.remoteId() + " still waiting to be uploaded, for example " + String.join(", ", tally.shown)
                        + "; applying the file would overwrite them", "sync the remote normally, or upload its changes first (`ferry remote sync --upload-only`)");
            }
            rows.commit(h.nextLastDownload(), h.nextLastDownloadTime().toString());
        } catch (IOException e) {
            rows.abort();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            rows.abort();
            throw e;
        }
        return new DownloadFileResult(new ArrayList<>(counts.values()), h.nextLastDownload(), h.nextLastDownloadTime().toString(), tally.inError);
    }

    /**
     * Check 4, counted while the rows are applied: rows with a change waiting to be uploaded refuse the
     * file (a few are named); rows in {@code error} keep their local version, as in a sync's download.
     */
    private static final class Tally implements DownloadRows.LocalChangeRule {
        private final List<String> shown = new ArrayList<>();
        private long pending;
        private long inError;

        @Override
        public void met(TableDef table, Object[] key, String state) {
            if (state.equals("error")) {
                inError++;
                return;
            }
            if (shown.size() < SHOWN) {
                shown.add(table.name() + " " + Arrays.toString(key) + " (" + state + ")");
            }
            pending++;
        }
    }

    private static void checkIdentity(DownloadFileHeader h, RemoteState state, RemoteTables tables) {
        if (state.consolidatedId() != null && !state.consolidatedId().equals(h.consolidatedId())) {
            throw new FerryException(ErrorCode.CONSOLIDATED_MISMATCH, "the file was made from consolidated database " + h.consolidatedId()
                    + " but remote " + state.remoteId() + " belongs to " + state.consolidatedId(), "use a file made from this remote's consolidated database");
        }
        if (!h.isFor(state.remoteId())) {
            throw new FerryException(ErrorCode.DOWNLOAD_FILE_NOT_FOR_REMOTE, "the file was made for remote(s) " + String.join(", ", h.remoteIds())
                    + ", not " + state.remoteId(), "create one that names --remote-id " + state.remoteId());
        }
        TreeSet<String> file = new TreeSet<>(h.tables());
        TreeSet<String> remote = new TreeSet<>(tables.names());
        if (!file.equals(remote)) {
            throw new FerryException(ErrorCode.SCHEMA_MISMATCH, "the file holds tables " + file + " but remote " + state.remoteId()
                    + " synchronizes " + remote, "create the file with the server's sync.tables (`--config`)");
        }
    }

    private static void checkRange(DownloadFileHeader h, RemoteState state) {
        long has = state.lastDownload();
        if (h.lastDownload() > has) {
            throw new FerryException(ErrorCode.DOWNLOAD_FILE_MISSING_RANGE, "the file holds changes after position " + h.lastDownload()
                    + when(h.lastDownloadTime()) + ", but remote " + state.remoteId() + " has only downloaded up to position " + has
                    + when(state.lastDownloadTime()) + ": the changes in (" + has + ", " + h.lastDownload() + "] are missing",
                    "apply the download file(s) covering them first, or sync normally (a full file made with --full also fits)");
        }
        if (h.nextLastDownload() <= has) {
            throw new FerryException(ErrorCode.DOWNLOAD_FILE_STALE, "the file holds changes up to position " + h.nextLastDownload()
                    + when(h.nextLastDownloadTime().toString()) + ", and remote " + state.remoteId() + " already has everything up to position "
                    + has + when(state.lastDownloadTime()) + " (applied out of order, or twice?)", "nothing to do: delete the file");
        }
    }

    private static void checkUpload(DownloadFileHeader h, RemoteState state) {
        if (state.pendingUpload() != null) {
            throw new FerryException(ErrorCode.DOWNLOAD_FILE_UPLOAD_UNCONFIRMED, "remote " + state.remoteId() + " sent upload "
                    + state.pendingUpload() + " and never received the server's answer, so its last upload time is unknown",
                    "sync normally once the server is reachable; download files apply again after that");
        }
        if (state.lastUploadTime() != null && !h.createdAt().isAfter(Instant.parse(state.lastUploadTime()))) {
            throw new FerryException(ErrorCode.DOWNLOAD_FILE_PREDATES_UPLOAD, "the file was created at " + h.createdAt() + ", before remote "
                    + state.remoteId() + "'s last upload committed (" + state.lastUploadTime() + "): its rows could undo what was uploaded",
                    "nothing to do: delete the file and apply a newer one");
        }
    }

    private static String when(String time) {
        return time == null ? "" : " (" + time + ")";
    }

    private static String when(Instant time) {
        return time == null ? "" : when(time.toString());
    }

    /** The body of a download file: a sync download stream with status {@code download-file} and no upload. */
    private static final class FileBody extends DownloadStream {
        private final DownloadFileHeader header;
        private boolean complete;

        FileBody(DownloadFileHeader header, RemoteTables tables, DownloadRows rows) {
            super(tables, rows);
            this.header = header;
        }

        @Override
        public void start(String consolidatedId, String status) {
            if (!"download-file".equals(status) || !header.consolidatedId().equals(consolidatedId)) {
                throw new FerryException(ErrorCode.DOWNLOAD_FILE_DAMAGED, "the file's body does not match its header");
            }
        }

        @Override
        public void upload(UploadOutcome outcome) {
            throw new FerryException(ErrorCode.DOWNLOAD_FILE_DAMAGED, "the file's body carries an upload result");
        }

        @Override
        public void downloadComplete(long lastDownload, String downloadTime, long count) {
            if (lastDownload != header.nextLastDownload() || count != header.rows()) {
                throw new FerryException(ErrorCode.DOWNLOAD_FILE_DAMAGED, "the file's body ends at position " + lastDownload + " with " + count
                        + " rows, but its header says " + header.nextLastDownload() + " with " + header.rows());
            }
            complete = true;
        }
    }
}
