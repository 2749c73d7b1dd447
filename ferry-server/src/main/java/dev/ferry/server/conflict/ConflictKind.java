package dev.ferry.server.conflict;

/** How an uploaded change and the consolidated row disagree. */
public enum ConflictKind {
    /** The remote inserted a key the consolidated table already has (with other values). */
    INSERT_EXISTS("insert-exists"),
    /** Both sides updated the row since the remote last had it from the server. */
    UPDATE_UPDATE("update-update"),
    /** The remote updated a row that was deleted on the consolidated side. */
    UPDATE_DELETED("update-deleted"),
    /** The remote deleted a row that was updated on the consolidated side. */
    DELETE_UPDATED("delete-updated"),
    /** The remote changed a row it holds that has left its partition meanwhile (docs/PARTITIONS.md): the server wins. */
    PARTITION_LEFT("partition-left");

    private final String text;

    ConflictKind(String text) {
        this.text = text;
    }

    /** The name shown in the conflict log and by {@code ferry conflicts}. */
    public String text() {
        return text;
    }
}
