package dev.ferry.client;

import java.util.List;

/**
 * What applying a download file did.
 *
 * @param tables           per-table counts (downloaded rows, and errors for deletes the remote's foreign keys kept)
 * @param lastDownload     the remote's download position now: the file's next last download
 * @param lastDownloadTime the consolidated time of that position (ISO-8601 UTC)
 * @param keptLocal        rows in the file left as they are on the remote because they are in state {@code error}
 */
public record DownloadFileResult(List<TableCounts> tables, long lastDownload, String lastDownloadTime, long keptLocal) {
    public long downloaded() {
        return tables.stream().mapToLong(TableCounts::downloaded).sum();
    }
}
