package dev.ferry.client;

import java.util.Map;

/**
 * A remote's sync position and row counts.
 *
 * @param rowsByState row counts keyed by state (synced, inserted, updated, deleted, error)
 */
public record RemoteStatus(String remoteId, String serverUrl, String user, String consolidatedId, long progress, Long pendingUpload,
                           long lastDownload, String lastDownloadTime, String lastUploadTime, Map<String, Long> rowsByState) {
}
