package dev.ferry.server.conflict;

/**
 * A conflict resolution written in Java: name the implementing class in the configuration
 * ({@code policy: custom}, {@code resolver: com.example.MyResolver}) and put its jar on the server's
 * class path. It needs a public no-argument constructor; one instance serves every sync, concurrently,
 * so it must be thread-safe. It runs inside the upload's transaction, so it must be quick and must not
 * touch the database itself (use {@code policy: procedure} for resolutions written in SQL).
 *
 * <p>An exception thrown here rejects that one uploaded row with {@code ROW_CONFLICT_UNRESOLVED}: the
 * row stays on the remote in state {@code error}, nothing is lost, the rest of the upload is applied.
 */
@FunctionalInterface
public interface ConflictResolver {
    Resolution resolve(Conflict conflict);
}
