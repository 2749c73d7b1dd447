package dev.ferry.dialect.postgres;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
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
 * because the driver reports enums as VARCHAR.
 *
 * <p>Issue 13: a domain maps as its base type (the database applies the domain's own checks); enums
 * and the types with an exact text form ({@link #TEXT_FORM}: {@code interval}, {@code money},
 * {@code inet}, ranges, geometric types, {@code xml}, bit strings, {@code tsvector}, {@code hstore}...)
 * travel as TEXT with their {@linkplain ColumnDef#serverType() server type}, into which the server
 * converts each value, so the database checks it. Only an enum of these may be in a key: the others can
 * spell one value in several ways ({@code 10.0.0.1} and {@code 10.0.0.1/32}), which remotes would take for
 * two keys. Arrays, {@code "char"}, {@code oid} and other system types are unsupported.
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

    /** Built-in (and {@code hstore}'s) type names whose values travel as their text form, to the server type they are converted into. */
    private static final Map<String, String> TEXT_FORM = textForms();

    private final IdentifierQuoter quoter;
    private final Map<String, Collation> nondeterministic;
    /** Enum type name (as the driver reports it) to the name to convert into. */
    private final Map<String, String> enums;
    /** Domain type name to its base type. */
    private final Map<String, Domain> domains;

    /** A domain's base type name and type modifier (the driver reports a domain's raw modifier as its size). */
    private record Domain(String base, int typmod) {
    }

    private PostgresTypeMapping(IdentifierQuoter quoter, Map<String, Collation> nondeterministic, Map<String, String> enums,
                                Map<String, Domain> domains) {
        this.quoter = quoter;
        this.nondeterministic = nondeterministic;
        this.enums = enums;
        this.domains = domains;
    }

    private static Map<String, String> textForms() {
        Map<String, String> m = new HashMap<>();
        for (String t : new String[] {"interval", "money", "inet", "cidr", "macaddr", "macaddr8", "xml", "varbit", "tsvector", "tsquery",
                "timetz", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange", "int4multirange", "int8multirange",
                "nummultirange", "tsmultirange", "tstzmultirange", "datemultirange", "point", "line", "lseg", "box", "path", "polygon",
                "circle", "hstore", "pg_lsn", "txid_snapshot", "pg_snapshot"}) {
            m.put(t, t);
        }
        // A bit(n) value converts through varbit, so the column's own length check still refuses a wrong length.
        m.put("bit", "varbit");
        return Map.copyOf(m);
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
        Map<String, String> enums = new HashMap<>();
        Map<String, Domain> domains = new HashMap<>();
        // format_type names a type as it must be written from the current search_path (schema-qualified when needed).
        try (PreparedStatement ps = c.prepareStatement("SELECT t.typname, t.typtype, format_type(t.oid, NULL), bt.typname, t.typtypmod"
                + " FROM pg_type t LEFT JOIN pg_type bt ON bt.oid = t.typbasetype WHERE t.typtype IN ('e', 'd')");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if ("e".equals(rs.getString(2))) {
                    enums.put(rs.getString(1), rs.getString(3));
                } else if (rs.getString(4) != null) {
                    domains.put(rs.getString(1), new Domain(rs.getString(4), rs.getInt(5)));
                }
            }
        }
        return new PostgresTypeMapping(quoter, found, enums, domains);
    }

    @Override
    public ColumnDef map(NativeColumn c) {
        Collation collation = nondeterministic.get(key(c.table(), c.name()));
        if (c.inPrimaryKey() && collation != null) {
            throw c.inexactKeyCollation(collation.name(), "give it a deterministic collation: ALTER TABLE " + quoter.quote(c.table())
                    + " ALTER COLUMN " + quoter.quote(c.name()) + " TYPE " + collation.type() + " COLLATE \"default\"");
        }
        String t = c.typeName();
        Domain domain = domains.get(t);
        if (domain != null) {
            return map(asBase(c, domain));
        }
        if (enums.containsKey(t)) {
            return simple(c, FerryType.TEXT).withServerType(enums.get(t));
        }
        if (t.startsWith("_") && PostgresArrays.ELEMENTS.contains(t.substring(1))) {
            return simple(c, FerryType.JSON).withServerType(t.substring(1) + "[]");
        }
        if (TEXT_FORM.containsKey(t)) {
            if (c.inPrimaryKey()) {
                throw new FerryException(ErrorCode.SCHEMA_UNSUPPORTED_TYPE, "table " + c.table()
                        + " key column " + c.name() + " has type " + t + ", whose values can be written in more than one way,"
                        + " so remotes could hold one key twice", "key " + c.table() + " by an integer, text, date/time, UUID or enum column");
            }
            return simple(c, FerryType.TEXT).withServerType(TEXT_FORM.get(t));
        }
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
            // The driver names an array type after its element with a leading underscore (_int4): show it as written.
            default -> throw c.unsupported(t.startsWith("_") ? t.substring(1) + "[]" : t);
        };
    }

    /**
     * The column as if declared with the domain's base type and modifier: {@code varchar(n)} and
     * {@code char(n)} carry n + 4, {@code numeric(p,s)} carries ((p << 16) | s) + 4, time types their
     * fractional digits; -1 means none. A domain over a domain is mapped again by {@link #map}.
     */
    private static NativeColumn asBase(NativeColumn c, Domain d) {
        Integer size = null;
        Integer digits = null;
        int m = d.typmod();
        switch (d.base()) {
            case "varchar", "bpchar" -> size = m < 0 ? null : m - 4;
            case "numeric" -> {
                size = m < 0 ? null : ((m - 4) >> 16) & 0xffff;
                digits = m < 0 ? null : (m - 4) & 0xffff;
            }
            case "time", "timestamp", "timestamptz", "timetz" -> digits = m < 0 ? null : m;
            default -> {
                size = c.size();
                digits = c.decimalDigits();
            }
        }
        return new NativeColumn(c.table(), c.name(), d.base(), c.jdbcType(), size, digits, c.nullable(), c.inPrimaryKey());
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
        if (c.serverType() != null) {
            return c.serverType();
        }
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
        if (c.serverType() != null) {
            return c.serverType();
        }
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
