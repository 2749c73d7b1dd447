package dev.ferry.client;

import java.util.Map;

/**
 * A remote's sync position and row counts.
 *
 * @param rowsByState   row counts keyed by state (synced, inserted, updated, deleted, error)
 * @param schemaVersion the version of the server's schema the tables follow; null for a remote made before versions
 * @param keysLeft      per table with key ranges, the keys not used yet (docs/SCHEMAS.md, "Keys created offline")
 */
public record RemoteStatus(String remoteId, String serverUrl, String user, String consolidatedId, long progress, Long pendingUpload,
                           long lastDownload, String lastDownloadTime, String lastUploadTime, Map<String, Long> rowsByState,
                           String schemaVersion, Map<String, Long> keysLeft) {
}
