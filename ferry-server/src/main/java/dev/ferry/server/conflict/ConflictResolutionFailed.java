package dev.ferry.server.conflict;

/**
 * A custom resolver or resolution procedure failed on one conflict. The upload applier rejects that
 * row ({@code ROW_CONFLICT_UNRESOLVED}) and applies the rest.
 */
public final class ConflictResolutionFailed extends RuntimeException {
    public ConflictResolutionFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
