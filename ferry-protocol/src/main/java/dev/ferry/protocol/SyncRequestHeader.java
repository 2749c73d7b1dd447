package dev.ferry.protocol;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a remote says about itself before its upload rows.
 *
 * <p>A request is one of three kinds: an ordinary sync ({@code probe} null) whose upload, when
 * {@code mode} uploads, is named by {@code uploadId}; or a <em>probe</em> ({@code probe} non-null): it
 * carries no rows and asks only whether the upload it names was committed. The server never commits
 * anything for a probe, so a lost answer to a probe can never be mistaken for an upload (issue 10,
 * defect 16).
 *
 * @param remoteId       the remote database's id
 * @param consolidatedId the consolidated database identity the remote last synced with; null before its first sync
 * @param progress       the remote's progress counter (0 = new remote database)
 * @param uploadId       the id of the upload this request carries (number {@code progress + 1}); null when it carries none
 * @param probe          the upload the remote sent but never heard back about, for a probe; null otherwise
 * @param lastDownload   the download position the remote has applied up to (0 = never)
 * @param holdsRows      with {@code lastDownload} 0: the remote already holds rows (it was reset), so its full
 *                       download must also carry every recorded delete
 * @param mode           which directions this sync runs
 * @param tables         the tables the remote synchronizes, by name
 * @param incarnation    which database is speaking for the remote id: the token {@code ferry remote init} (or
 *                       {@code reset}) gave it; null for remotes created before incarnations existed
 * @param keyRanges      per table, what the remote holds of its key ranges ({@link HeldKeys}); a table it
 *                       holds none of is absent; null when the remote does not take key ranges (a probe)
 * @param schemaVersion  the {@link SchemaDocument#version() version} of the schema the remote's tables follow;
 *                       null for remotes made before schema versions (they are never upgraded)
 */
public record SyncRequestHeader(String remoteId, String consolidatedId, long progress, String uploadId, UploadRef probe,
                                long lastDownload, boolean holdsRows, SyncMode mode, List<String> tables, String incarnation,
                                Map<String, HeldKeys> keyRanges, String schemaVersion) {
    public SyncRequestHeader {
        tables = List.copyOf(tables);
        keyRanges = keyRanges == null ? null : Collections.unmodifiableMap(new TreeMap<>(keyRanges));
    }

    /** A request that reports no key ranges. */
    public SyncRequestHeader(String remoteId, String consolidatedId, long progress, String uploadId, UploadRef probe,
                             long lastDownload, boolean holdsRows, SyncMode mode, List<String> tables, String incarnation) {
        this(remoteId, consolidatedId, progress, uploadId, probe, lastDownload, holdsRows, mode, tables, incarnation, null, null);
    }

    /** An ordinary sync of a remote that holds no rows unless it has a download position, without an incarnation. */
    public static SyncRequestHeader sync(String remoteId, String consolidatedId, long progress, String uploadId, long lastDownload,
                                         SyncMode mode, List<String> tables) {
        return new SyncRequestHeader(remoteId, consolidatedId, progress, uploadId, null, lastDownload, false, mode, tables, null);
    }

    /** True for a probe: the request asks about {@link #probe()} and carries nothing to apply. */
    public boolean isProbe() {
        return probe != null;
    }
}
