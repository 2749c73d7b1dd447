package dev.ferry.server.conflict;

import java.util.List;
import java.util.Map;

/**
 * One conflict, as a resolver sees it. Images map column names, in table order, to canonical values
 * (see {@code dev.ferry.core.value.Values}); an image is null where that version of the row does not
 * exist.
 *
 * @param remoteId    the remote whose upload met the conflict
 * @param table       the table, as the consolidated database names it
 * @param kind        how the two versions disagree
 * @param key         the primary key columns and values
 * @param oldImage    the row as the remote last had it from the server (null for an insert)
 * @param remoteImage the remote's new row (null when the remote deleted it)
 * @param serverImage the consolidated row now (null when it was deleted there)
 */
public record Conflict(String remoteId, String table, ConflictKind kind, Map<String, Object> key,
                       Map<String, Object> oldImage, Map<String, Object> remoteImage, Map<String, Object> serverImage) {

    /** The table's column names, in order. */
    public List<String> columns() {
        Map<String, Object> any = remoteImage != null ? remoteImage : serverImage != null ? serverImage : oldImage;
        return List.copyOf(any.keySet());
    }
}
