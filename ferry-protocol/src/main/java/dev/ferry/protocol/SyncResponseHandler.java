package dev.ferry.protocol;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;

import java.util.List;

/** Receives a sync response as it streams in. Implemented by the client. */
public interface SyncResponseHandler {
    /** The response began; {@code status} is {@code ok}, {@code upload-already-applied}, {@code upload-not-applied} or {@code consolidated-restored}. */
    void start(String consolidatedId, String status);

    /**
     * With status {@code consolidated-restored}: the consolidated database has this remote's uploads
     * only up to {@code serverProgress} (it went back in time); nothing was applied and no download follows.
     * Only a sync's handler can act on it; a download file never carries it.
     */
    default void restored(long serverProgress) {
        throw new FerryException(ErrorCode.PROTOCOL_ERROR, "unexpected restored section");
    }

    /** What happened to the upload (absent for a download-only sync). */
    void upload(UploadOutcome outcome);

    /**
     * Key ranges handed to this remote, after the upload and before the download. Only a sync's
     * handler can take them; a download file never carries them.
     */
    default void keyRanges(List<KeyRange> ranges) {
        throw new FerryException(ErrorCode.PROTOCOL_ERROR, "unexpected keyRanges section");
    }

    /** The server serves schema {@code version}, not the remote's: upgrade, then download everything (no download follows). */
    default void schemaChanged(String version) {
        throw new FerryException(ErrorCode.PROTOCOL_ERROR, "unexpected schemaChanged field");
    }

    /** Resolves a downloaded table name to the local definition; throws if the remote lacks it. */
    TableDef table(String name);

    void beginTable(TableDef table);

    void upsert(TableDef table, Object[] values);

    void delete(TableDef table, Object[] key);

    /** The download is complete and verified; the remote may commit it and record the position. */
    void downloadComplete(long lastDownload, String downloadTime, long rows);
}
