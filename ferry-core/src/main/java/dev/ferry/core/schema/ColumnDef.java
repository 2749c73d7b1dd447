package dev.ferry.core.schema;

import java.util.Objects;

/**
 * One synchronized column. {@code length} applies to TEXT and BINARY (null = unbounded);
 * {@code precision}/{@code scale} to DECIMAL (precision null = unconstrained).
 */
public record ColumnDef(String name, FerryType type, boolean nullable, Integer length, Integer precision,
                        Integer scale) {
    public ColumnDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static ColumnDef of(String name, FerryType type, boolean nullable) {
        return new ColumnDef(name, type, nullable, null, null, null);
    }

    /** A short human form such as {@code DECIMAL(12,2)} or {@code TEXT(40)}. */
    public String typeLabel() {
        if (type == FerryType.DECIMAL && precision != null) {
            return "DECIMAL(" + precision + "," + (scale == null ? 0 : scale) + ")";
        }
        if ((type == FerryType.TEXT || type == FerryType.BINARY) && length != null) {
            return type + "(" + length + ")";
        }
        return type.name();
    }
}
