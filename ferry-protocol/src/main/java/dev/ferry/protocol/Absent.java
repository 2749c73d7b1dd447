package dev.ferry.protocol;

/**
 * The value of a column an uploaded row does not carry: the remote made the change under a schema
 * without that column (the server added it since; docs/SCHEMAS.md, "Schema changes"). The server fills
 * it from its current row before anything compares or writes the row, so an old remote's change never
 * overwrites a column it did not know.
 */
public enum Absent {
    VALUE;

    /** True when {@code row} lacks a column's value. */
    public static boolean any(Object[] row) {
        if (row != null) {
            for (Object v : row) {
                if (v == VALUE) {
                    return true;
                }
            }
        }
        return false;
    }
}
