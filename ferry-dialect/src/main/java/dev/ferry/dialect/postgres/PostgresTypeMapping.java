package dev.ferry.dialect.postgres;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.dialect.jdbc.ColumnTypeMapper;
import dev.ferry.dialect.jdbc.NativeColumn;

/**
 * PostgreSQL types to Ferry types and back. Mapping is by the driver's TYPE_NAME (the internal type
 * name: {@code int4}, {@code bpchar}, {@code _int4} for arrays); the JDBC type code is not used
 * because the driver reports enums as VARCHAR. Anything not listed (arrays, interval, money,
 * timetz, xml, enums, domains, geometric and range types, {@code "char"}) is unsupported.
 */
final class PostgresTypeMapping implements ColumnTypeMapper {
    /** The driver reports "no length" (text, varchar without n) as Integer.MAX_VALUE. */
    private static final int UNBOUNDED = Integer.MAX_VALUE;

    @Override
    public ColumnDef map(NativeColumn c) {
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
            case "varchar", "bpchar" -> new ColumnDef(c.name(), FerryType.TEXT, c.nullable(),
                    c.size() == null || c.size() >= UNBOUNDED ? null : c.size(), null, null);
            case "bool" -> simple(c, FerryType.BOOLEAN);
            case "date" -> simple(c, FerryType.DATE);
            case "time" -> simple(c, FerryType.TIME);
            case "timestamp" -> simple(c, FerryType.TIMESTAMP);
            case "timestamptz" -> simple(c, FerryType.TIMESTAMPTZ);
            case "uuid" -> simple(c, FerryType.UUID);
            case "bytea" -> simple(c, FerryType.BINARY);
            case "json", "jsonb" -> simple(c, FerryType.JSON);
            default -> throw c.unsupported(t);
        };
    }

    private static ColumnDef simple(NativeColumn c, FerryType type) {
        return new ColumnDef(c.name(), type, c.nullable(), null, null, null);
    }

    static String nativeType(ColumnDef c) {
        return switch (c.type()) {
            case SMALLINT -> "smallint";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case DECIMAL -> c.precision() == null ? "numeric" : "numeric(" + c.precision() + "," + (c.scale() == null ? 0 : c.scale()) + ")";
            case REAL -> "real";
            case DOUBLE -> "double precision";
            case TEXT -> c.length() == null ? "text" : "varchar(" + c.length() + ")";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            case UUID -> "uuid";
            case BINARY -> "bytea";
            // json, not jsonb: jsonb rewrites the text (key order, spaces), json keeps it exactly.
            case JSON -> "json";
        };
    }
}
