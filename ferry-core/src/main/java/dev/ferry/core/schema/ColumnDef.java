package dev.ferry.core.schema;

import java.util.Objects;

/**
 * One synchronized column. Immutable.
 *
 * <ul>
 *   <li>{@code length}: TEXT and BINARY, the most characters (bytes) the column holds; null = unbounded.</li>
 *   <li>{@code precision}/{@code scale}: DECIMAL, digits in all and after the point; precision null = unconstrained.</li>
 *   <li>{@code precision} of TIME, TIMESTAMP and TIMESTAMPTZ: the fractional-second digits the column
 *       holds when that is fewer than Ferry's six ({@code datetime(3)} is 3, MariaDB's plain
 *       {@code datetime} 0); null = microseconds. A value with more digits is rejected, never rounded.</li>
 *   <li>{@code padded}: TEXT whose trailing spaces the database does not count: a fixed-length
 *       {@code char(n)} (which pads every value), or a key column under a PAD SPACE collation (MariaDB's
 *       {@code utf8mb4_bin}, where {@code 'ab' = 'ab '}). Ferry reads such values without trailing
 *       spaces, the one form every side shares; as a key, a value ending in a space would be another
 *       row on a remote but the same row in the database, so it is refused (issue 10, defect 6).</li>
 *   <li>{@code generation}: whether the consolidated database fills the column itself (null reads as
 *       {@link ColumnGeneration#NONE}, which is what a peer that does not send it means).</li>
 *   <li>{@code serverType}: for a TEXT column whose consolidated type is not a text type (a PostgreSQL
 *       enum, {@code interval}, {@code inet}, a range...), that type, into which the server converts each
 *       value it writes, so the database itself checks it; null for every other column. Only the server
 *       knows it: it does not travel to remotes, which hold the value's text.</li>
 *   <li>{@code defaultValue}: the column's default when the consolidated database declares a constant one
 *       ({@code 'new'}, {@code 0}, {@code true}, a date), in Ferry's canonical text form
 *       ({@link dev.ferry.core.value.Values#format}); remotes declare the same default, so a plain
 *       {@code INSERT} there fills the column as the server would. Null when there is none, or when it is
 *       an expression ({@code now()}, a sequence) that a remote cannot evaluate the same way.</li>
 * </ul>
 */
public record ColumnDef(String name, FerryType type, boolean nullable, Integer length, Integer precision,
                        Integer scale, boolean padded, ColumnGeneration generation, String serverType, String defaultValue) {
    /** Fractional-second digits of Ferry's temporal values, and of a column that declares none fewer. */
    public static final int MAX_FRACTION_DIGITS = 6;

    public ColumnDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (generation == null) {
            generation = ColumnGeneration.NONE;
        }
    }

    /** A column whose values the server writes as they are (no {@code serverType}), without a default. */
    public ColumnDef(String name, FerryType type, boolean nullable, Integer length, Integer precision, Integer scale, boolean padded,
                     ColumnGeneration generation) {
        this(name, type, nullable, length, precision, scale, padded, generation, null, null);
    }

    /** An ordinary column: trailing spaces, if it is text, are part of the value; the database does not fill it. */
    public ColumnDef(String name, FerryType type, boolean nullable, Integer length, Integer precision, Integer scale) {
        this(name, type, nullable, length, precision, scale, false, ColumnGeneration.NONE);
    }

    /** A column the database does not fill, padded or not. */
    public ColumnDef(String name, FerryType type, boolean nullable, Integer length, Integer precision, Integer scale, boolean padded) {
        this(name, type, nullable, length, precision, scale, padded, ColumnGeneration.NONE);
    }

    /** An unpadded column filled by the database as {@code generation} says. */
    public ColumnDef(String name, FerryType type, boolean nullable, Integer length, Integer precision, Integer scale,
                     ColumnGeneration generation) {
        this(name, type, nullable, length, precision, scale, false, generation);
    }

    /** The same column, filled by the database as {@code g} says. */
    public ColumnDef withGeneration(ColumnGeneration g) {
        return new ColumnDef(name, type, nullable, length, precision, scale, padded, g, serverType, defaultValue);
    }

    /** The same column, its values converted by the server into {@code nativeType} (see {@link #serverType()}). */
    public ColumnDef withServerType(String nativeType) {
        return new ColumnDef(name, type, nullable, length, precision, scale, padded, generation, nativeType, defaultValue);
    }

    /** The same column with the constant default {@code canonical} (see {@link #defaultValue()}), or none. */
    public ColumnDef withDefault(String canonical) {
        return new ColumnDef(name, type, nullable, length, precision, scale, padded, generation, serverType, canonical);
    }

    public static ColumnDef of(String name, FerryType type, boolean nullable) {
        return new ColumnDef(name, type, nullable, null, null, null);
    }

    /** True for TIME, TIMESTAMP and TIMESTAMPTZ. */
    public boolean hasFractionalSeconds() {
        return type == FerryType.TIME || type == FerryType.TIMESTAMP || type == FerryType.TIMESTAMPTZ;
    }

    /** The fractional-second digits a TIME, TIMESTAMP or TIMESTAMPTZ column holds (0 to 6). */
    public int fractionDigits() {
        return precision == null ? MAX_FRACTION_DIGITS : Math.min(precision, MAX_FRACTION_DIGITS);
    }

    /** A short human form such as {@code DECIMAL(12,2)}, {@code TEXT(40)} or {@code TIMESTAMP(3)}. */
    public String typeLabel() {
        if (type == FerryType.DECIMAL && precision != null) {
            return "DECIMAL(" + precision + "," + (scale == null ? 0 : scale) + ")";
        }
        if ((type == FerryType.TEXT || type == FerryType.BINARY) && length != null) {
            return type + "(" + length + ")";
        }
        if (hasFractionalSeconds() && precision != null) {
            return type + "(" + precision + ")";
        }
        return type.name();
    }
}
