package dev.ferry.core.schema;

/**
 * The column types Ferry synchronizes. Each has one canonical Java representation (see
 * {@link dev.ferry.core.value.Values}) and one canonical text form, so a value round-trips exactly
 * between every consolidated and every remote database.
 */
public enum FerryType {
    SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE, TEXT, BOOLEAN, DATE, TIME, TIMESTAMP, TIMESTAMPTZ,
    UUID, BINARY, JSON;

    /** Whether a column of this type may be part of a primary key that Ferry tracks. */
    public boolean usableInKey() {
        return switch (this) {
            case REAL, DOUBLE, BINARY, JSON, BOOLEAN -> false;
            default -> true;
        };
    }

    public boolean isInteger() {
        return this == SMALLINT || this == INTEGER || this == BIGINT;
    }
}
