package dev.ferry.server.session;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.protocol.SyncRequestHeader;
import dev.ferry.protocol.SyncResponseWriter;
import dev.ferry.protocol.UploadOutcome;
import dev.ferry.server.upload.HeldUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.time.Instant;

/**
 * A sync whose upload is committed and whose response has yet to be streamed. Holds the upload
 * until {@link #close()} so the download can leave out the rows just uploaded. Use once.
 */
public final class PreparedSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PreparedSync.class);

    private final SyncService service;
    private final String user;
    private final SyncRequestHeader header;
    private final HeldUpload held;
    private final SyncService.Committed committed;
    private final Instant started;

    PreparedSync(SyncService service, String user, SyncRequestHeader header, HeldUpload held, SyncService.Committed committed, Instant started) {
        this.service = service;
        this.user = user;
        this.header = header;
        this.held = held;
        this.committed = committed;
        this.started = started;
    }

    /** Streams the response: status, upload outcome, then the download (unless this was upload-only). */
    public void writeResponse(OutputStream out) {
        UploadOutcome outcome = committed.outcome();
        long downloaded = 0;
        FerryException failure = null;
        SyncResponseWriter w = new SyncResponseWriter(out);
        try {
            w.start(service.consolidatedId(), committed.alreadyApplied() ? "upload-already-applied" : "ok");
            if (outcome != null) {
                w.upload(outcome);
            }
            if (!committed.alreadyApplied() && header.mode().downloads()) {
                service.stampChanges();
                long position = service.downloads().write(header.lastDownload(), header.holdsRows(), held, w);
                downloaded = w.downloadRows();
                w.endDownload(position, service.now().toString());
            }
            w.end();
        } catch (Exception e) {
            failure = e instanceof FerryException f ? f
                    : new FerryException(ErrorCode.TRANSPORT_FAILED, "streaming the download to remote " + header.remoteId() + " failed: " + e.getMessage(), null, e);
            LOG.warn("remote {}: download failed: {}", header.remoteId(), failure.getMessage());
            w.error(failure);
        } finally {
            service.logSync(header, user, started, failure == null ? (committed.alreadyApplied() ? "ack-recovered" : "ok") : "download-failed",
                    outcome == null ? null : outcome.number(), held.rowCount(), outcome == null ? 0 : outcome.rejected().size(), downloaded,
                    outcome == null ? 0 : outcome.retries(), failure);
        }
    }

    @Override
    public void close() {
        held.close();
    }
}
