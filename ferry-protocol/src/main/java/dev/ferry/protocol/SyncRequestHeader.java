package dev.ferry.protocol;

import java.util.List;

/**
 * What a remote says about itself before its upload rows.
 *
 * @param remoteId       the remote database's id
 * @param consolidatedId the consolidated database identity the remote last synced with; null before its first sync
 * @param progress       the remote's progress counter (0 = new remote database)
 * @param pendingUpload  the number of an upload the remote sent but never heard back about, or null
 * @param lastDownload   the download position the remote has applied up to (0 = never)
 * @param holdsRows      with {@code lastDownload} 0: the remote already holds rows (it was reset), so its full
 *                       download must also carry every recorded delete
 * @param mode           which directions this sync runs
 * @param tables         the tables the remote synchronizes, by name
 * @param incarnation    which database is speaking for the remote id: the token {@code ferry remote init} (or
 *                       {@code reset}) gave it; null for remotes created before incarnations existed
 */
public record SyncRequestHeader(String remoteId, String consolidatedId, long progress, Long pendingUpload,
                                long lastDownload, boolean holdsRows, SyncMode mode, List<String> tables, String incarnation) {
    public SyncRequestHeader {
        tables = List.copyOf(tables);
    }

    /** A remote without an incarnation (created before they existed). */
    public SyncRequestHeader(String remoteId, String consolidatedId, long progress, Long pendingUpload, long lastDownload, boolean holdsRows,
                             SyncMode mode, List<String> tables) {
        this(remoteId, consolidatedId, progress, pendingUpload, lastDownload, holdsRows, mode, tables, null);
    }

    /** A remote that holds no rows unless it has a download position. */
    public SyncRequestHeader(String remoteId, String consolidatedId, long progress, Long pendingUpload, long lastDownload, SyncMode mode,
                             List<String> tables) {
        this(remoteId, consolidatedId, progress, pendingUpload, lastDownload, false, mode, tables, null);
    }
}
