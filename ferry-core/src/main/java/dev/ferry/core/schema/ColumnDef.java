package dev.ferry.core.schema;

import java.util.Objects;

/**
 * One synchronized column. {@code length} applies to TEXT and BINARY (null = unbounded);
 * {@code precision}/{@code scale} to DECIMAL (precision null = unconstrained). {@code generation} says
 * whether the consolidated database fills the column itself (null reads as {@link ColumnGeneration#NONE},
 * which is what a peer that does not send it means).
 */
public record ColumnDef(String name, FerryType type, boolean nullable, Integer length, Integer precision,
                        Integer scale, ColumnGeneration generation) {
    public ColumnDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (generation == null) {
            generation = ColumnGeneration.NONE;
        }
    }

    /** An ordinary column ({@link ColumnGeneration#NONE}). */
    public ColumnDef(String name, FerryType type, boolean nullable, Integer length, Integer precision, Integer scale) {
        this(name, type, nullable, length, precision, scale, ColumnGeneration.NONE);
    }

    /** The same column, filled by the database as {@code g} says. */
    public ColumnDef withGeneration(ColumnGeneration g) {
        return new ColumnDef(name, type, nullable, length, precision, scale, g);
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
