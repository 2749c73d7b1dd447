package dev.ferry.client;

/** What {@link RemoteDatabase#discard} did to the row whose local change it dropped. */
public enum DiscardOutcome {
    /** The row is back to the version the server has (from {@code ferry_pending.old_image}). */
    RESTORED,
    /** The server never had the row (a local insert), so it was removed. */
    REMOVED
}
