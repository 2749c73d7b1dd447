package dev.ferry.protocol;

import dev.ferry.core.schema.TableDef;

/** Receives a sync response as it streams in. Implemented by the client. */
public interface SyncResponseHandler {
    /** The response began; {@code status} is {@code ok} or {@code upload-already-applied}. */
    void start(String consolidatedId, String status);

    /** What happened to the upload (absent for a download-only sync). */
    void upload(UploadOutcome outcome);

    /** Resolves a downloaded table name to the local definition; throws if the remote lacks it. */
    TableDef table(String name);

    void beginTable(TableDef table);

    void upsert(TableDef table, Object[] values);

    void delete(TableDef table, Object[] key);

    /** The download is complete and verified; the remote may commit it and record the position. */
    void downloadComplete(long lastDownload, String downloadTime, long rows);
}
