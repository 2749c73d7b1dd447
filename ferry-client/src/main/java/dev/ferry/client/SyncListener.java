package dev.ferry.client;

/** Observes a sync as it runs (for progress bars and logs). Called on the syncing thread; keep it fast. */
public interface SyncListener {
    SyncListener NONE = new SyncListener() { };

    /** A phase began: "upload", "apply-results", "download". */
    default void phase(String phase) {
    }

    /** Another row was written into the upload. */
    default void uploaded(String table, long rowsSoFar) {
    }

    /** Another downloaded row was applied locally. */
    default void downloaded(String table, long rowsSoFar) {
    }
}
