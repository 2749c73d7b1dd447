package dev.ferry.server.conflict;

import dev.ferry.core.schema.ColumnDef;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** How one table's conflicts are resolved (configured per table; see docs/CONFLICTS.md). */
public interface ConflictPolicy {
    /** The policy as the configuration and the conflict log name it, e.g. {@code newer-wins(updated_at)}. */
    String name();

    /** Columns the policy must find in every image (a publication's column list must publish them); none by default. */
    default List<ColumnDef> columnsCompared() {
        return List.of();
    }

    /**
     * Decides one conflict. Runs inside the upload's transaction on {@code c}, with the consolidated row
     * locked.
     */
    Decision decide(Conflict conflict, Connection c) throws SQLException;
}
