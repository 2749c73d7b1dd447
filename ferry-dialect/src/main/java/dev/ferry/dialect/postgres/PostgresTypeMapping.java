package dev.ferry.dialect.postgres;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.dialect.jdbc.ColumnTypeMapper;
import dev.ferry.dialect.jdbc.IdentifierQuoter;
import dev.ferry.dialect.jdbc.NativeColumn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * PostgreSQL types to Ferry types and back. Mapping is by the driver's TYPE_NAME (the internal type
 * name: {@code int4}, {@code bpchar}, {@code _int4} for arrays); the JDBC type code is not used
 * because the driver reports enums as VARCHAR. Anything not listed (arrays, interval, money,
 * timetz, xml, enums, domains, geometric and range types, {@code "char"}) is unsupported.
 *
 * <p>Comparison of keys (issue 10, defect 6): PostgreSQL compares text by bytes under every
 * deterministic collation, as the remotes do, but a key column with a nondeterministic collation
 * ({@code pg_collation.collisdeterministic = false}, an ICU collation that ignores case or accents) is
 * refused. {@code char(n)} pads its values with spaces and ignores them in comparisons; it is
 * {@linkplain ColumnDef#padded() padded}, so its values travel without the padding.
 *
 * <p>time(p), timestamp(p), timestamptz(p) round to p fractional digits; p below 6 is recorded as
 * the column's precision, so the server rejects values with more digits instead.
 * One instance describes the schema at the moment it was {@linkplain #load loaded}.
 */
final class PostgresTypeMapping implements ColumnTypeMapper {
    /** The driver reports "no length" (text, varchar without n) as Integer.MAX_VALUE. */
    private static final int UNBOUNDED = Integer.MAX_VALUE;

    private record Collation(String name, String type) {
    }

    private final IdentifierQuoter quoter;
    private final Map<String, Collation> nondeterministic;

    private PostgresTypeMapping(IdentifierQuoter quoter, Map<String, Collation> nondeterministic) {
        this.quoter = quoter;
        this.nondeterministic = nondeterministic;
    }

    /** Reads which columns of the current schema have a nondeterministic collation. */
    static PostgresTypeMapping load(Connection c, IdentifierQuoter quoter) throws SQLException {
        Map<String, Collation> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.relname, a.attname, co.collname, format_type(a.atttypid, a.atttypmod)"
                + " FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " JOIN pg_collation co ON co.oid = a.attcollation"
                + " WHERE n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped AND NOT co.collisdeterministic");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.put(key(rs.getString(1), rs.getString(2)), new Collation(rs.getString(3), rs.getString(4)));
            }
        }
        return new PostgresTypeMapping(quoter, found);
    }

    @Override
    public ColumnDef map(NativeColumn c) {
        Collation collation = nondeterministic.get(key(c.table(), c.name()));
        if (c.inPrimaryKey() && collation != null) {
            throw c.inexactKeyCollation(collation.name(), "give it a deterministic collation: ALTER TABLE " + quoter.quote(c.table())
                    + " ALTER COLUMN " + quoter.quote(c.name()) + " TYPE " + collation.type() + " COLLATE \"default\"");
        }
        String t = c.typeName();
        return switch (t) {
            case "int2", "smallserial" -> simple(c, FerryType.SMALLINT);
            case "int4", "serial" -> simple(c, FerryType.INTEGER);
            case "int8", "bigserial" -> simple(c, FerryType.BIGINT);
            // Unconstrained numeric reports size 0.
            case "numeric" -> c.size() == null || c.size() <= 0
                    ? simple(c, FerryType.DECIMAL)
                    : new ColumnDef(c.name(), FerryType.DECIMAL, c.nullable(), null, c.size(), c.decimalDigits() == null ? 0 : c.decimalDigits());
            case "float4" -> simple(c, FerryType.REAL);
            case "float8" -> simple(c, FerryType.DOUBLE);
            case "text" -> simple(c, FerryType.TEXT);
            case "varchar" -> text(c, false);
            case "bpchar" -> text(c, true);
            case "bool" -> simple(c, FerryType.BOOLEAN);
            case "date" -> simple(c, FerryType.DATE);
            case "time" -> temporal(c, FerryType.TIME);
            case "timestamp" -> temporal(c, FerryType.TIMESTAMP);
            case "timestamptz" -> temporal(c, FerryType.TIMESTAMPTZ);
            case "uuid" -> simple(c, FerryType.UUID);
            case "bytea" -> simple(c, FerryType.BINARY);
            case "json", "jsonb" -> simple(c, FerryType.JSON);
            default -> throw c.unsupported(t);
        };
    }

    private static ColumnDef simple(NativeColumn c, FerryType type) {
        return new ColumnDef(c.name(), type, c.nullable(), null, null, null);
    }

    private static ColumnDef text(NativeColumn c, boolean padded) {
        return new ColumnDef(c.name(), FerryType.TEXT, c.nullable(), c.size() == null || c.size() >= UNBOUNDED ? null : c.size(),
                null, null, padded);
    }

    /** The driver reports the fractional-second digits as DECIMAL_DIGITS (6 when none are declared). */
    private static ColumnDef temporal(NativeColumn c, FerryType type) {
        Integer digits = c.decimalDigits();
        return new ColumnDef(c.name(), type, c.nullable(), null,
                digits == null || digits >= ColumnDef.MAX_FRACTION_DIGITS ? null : digits, null);
    }

    private static String key(String table, String column) {
        return table + '\0' + column;
    }

    static String nativeType(ColumnDef c) {
        return switch (c.type()) {
            case SMALLINT -> "smallint";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case DECIMAL -> c.precision() == null ? "numeric" : "numeric(" + c.precision() + "," + (c.scale() == null ? 0 : c.scale()) + ")";
            case REAL -> "real";
            case DOUBLE -> "double precision";
            case TEXT -> c.padded() ? (c.length() == null ? "bpchar" : "char(" + c.length() + ")")
                    : c.length() == null ? "text" : "varchar(" + c.length() + ")";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIME -> "time" + fraction(c);
            case TIMESTAMP -> "timestamp" + fraction(c);
            case TIMESTAMPTZ -> "timestamptz" + fraction(c);
            case UUID -> "uuid";
            case BINARY -> "bytea";
            // json, not jsonb: jsonb rewrites the text (key order, spaces), json keeps it exactly.
            case JSON -> "json";
        };
    }

    /**
     * The unconstrained type a value of {@code c} is cast to before the column's own assignment takes
     * it (PostgresDialect.valuesCast): the assignment then refuses, pads or rounds exactly as for a
     * bound parameter. A padded key compares as {@code bpchar}, ignoring trailing spaces as its column does.
     */
    static String unconstrainedType(ColumnDef c) {
        return switch (c.type()) {
            case DECIMAL -> "numeric";
            case TEXT -> c.padded() ? "bpchar" : "text";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            default -> nativeType(c);
        };
    }

    private static String fraction(ColumnDef c) {
        return c.precision() == null ? "" : "(" + c.precision() + ")";
    }
}
