package dev.ferry.core.schema;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

/**
 * Why one table of the consolidated database does not synchronize: a column type Ferry cannot carry,
 * no primary key, a key it cannot use, a foreign-key cycle, a named table that does not exist. Reading a
 * schema collects every refusal at once instead of stopping at the first (issue 13), so a user sees the
 * whole list in one start or one {@code ferry schema check}.
 *
 * @param table  the table as the database names it (or as the configuration wrote it, when missing)
 * @param column the column at fault, or null when the table as a whole is refused
 * @param code   the error code a start refused for this reason reports
 * @param reason what is wrong, naming table, column and type
 * @param hint   what the user can do about it
 */
public record SchemaRefusal(String table, String column, ErrorCode code, String reason, String hint) {
    /** The refusal a mapper or check expressed as an exception. */
    public static SchemaRefusal of(String table, String column, FerryException e) {
        return new SchemaRefusal(table, column, e.code(), e.getMessage(), e.hint());
    }

    /** This refusal as the error a start reports when it is the only one. */
    public FerryException toException() {
        return new FerryException(code, reason, hint);
    }

    @Override
    public String toString() {
        return code + ": " + reason + (hint == null ? "" : " (" + hint + ")");
    }
}
