package dev.ferry.dialect.h2;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.dialect.jdbc.ColumnTypeMapper;
import dev.ferry.dialect.jdbc.NativeColumn;

/**
 * H2 2.x types to Ferry types and back, by the driver's TYPE_NAME (H2 2.x reports the standard
 * spelling: {@code CHARACTER VARYING}, {@code DOUBLE PRECISION}, {@code TIMESTAMP WITH TIME ZONE}).
 *
 * <p>H2 specifics: a {@code NUMERIC} declared without precision is NUMERIC(100000, 0), i.e. an
 * integer column, and is reported as such; {@code DECFLOAT} (decimal floating point, any scale) is
 * the unconstrained DECIMAL. A {@code CHARACTER VARYING} or {@code BINARY VARYING} without length
 * reports H2's maximum (1,000,000,000) and becomes unbounded; LOBs are unbounded. TIME and
 * TIMESTAMP WITH TIME ZONE here mean H2's {@code TIME(6)} and {@code TIMESTAMP(6) WITH TIME ZONE}:
 * plain {@code TIME} in H2 has no fractional seconds. Arrays, ENUM, INTERVAL, GEOMETRY, ROW,
 * JAVA_OBJECT and TIME WITH TIME ZONE are unsupported.
 */
final class H2TypeMapping implements ColumnTypeMapper {
    /** H2's maximum CHARACTER VARYING / BINARY VARYING length, which is what "no length" reports. */
    private static final int MAX_LENGTH = 1_000_000_000;

    @Override
    public ColumnDef map(NativeColumn c) {
        String t = c.typeName();
        return switch (t) {
            case "TINYINT", "SMALLINT" -> simple(c, FerryType.SMALLINT);
            case "INTEGER" -> simple(c, FerryType.INTEGER);
            case "BIGINT" -> simple(c, FerryType.BIGINT);
            case "NUMERIC", "DECIMAL" -> new ColumnDef(c.name(), FerryType.DECIMAL, c.nullable(), null, c.size(),
                    c.decimalDigits() == null ? 0 : c.decimalDigits());
            case "DECFLOAT" -> simple(c, FerryType.DECIMAL);
            case "REAL" -> simple(c, FerryType.REAL);
            case "DOUBLE PRECISION" -> simple(c, FerryType.DOUBLE);
            case "CHARACTER VARYING", "CHARACTER", "VARCHAR_IGNORECASE" -> sized(c, FerryType.TEXT);
            case "CHARACTER LARGE OBJECT" -> simple(c, FerryType.TEXT);
            case "BOOLEAN" -> simple(c, FerryType.BOOLEAN);
            case "DATE" -> simple(c, FerryType.DATE);
            case "TIME" -> simple(c, FerryType.TIME);
            case "TIMESTAMP" -> simple(c, FerryType.TIMESTAMP);
            case "TIMESTAMP WITH TIME ZONE" -> simple(c, FerryType.TIMESTAMPTZ);
            case "UUID" -> simple(c, FerryType.UUID);
            case "BINARY VARYING", "BINARY" -> sized(c, FerryType.BINARY);
            case "BINARY LARGE OBJECT" -> simple(c, FerryType.BINARY);
            case "JSON" -> simple(c, FerryType.JSON);
            default -> throw c.unsupported(t);
        };
    }

    private static ColumnDef simple(NativeColumn c, FerryType type) {
        return new ColumnDef(c.name(), type, c.nullable(), null, null, null);
    }

    private static ColumnDef sized(NativeColumn c, FerryType type) {
        Integer len = c.size() == null || c.size() >= MAX_LENGTH ? null : c.size();
        return new ColumnDef(c.name(), type, c.nullable(), len, null, null);
    }

    static String nativeType(ColumnDef c) {
        return switch (c.type()) {
            case SMALLINT -> "SMALLINT";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            // Plain NUMERIC would be NUMERIC(100000, 0) and round every fraction away.
            case DECIMAL -> c.precision() == null ? "DECFLOAT" : "NUMERIC(" + c.precision() + "," + (c.scale() == null ? 0 : c.scale()) + ")";
            case REAL -> "REAL";
            case DOUBLE -> "DOUBLE PRECISION";
            case TEXT -> c.length() == null ? "CHARACTER VARYING" : "CHARACTER VARYING(" + c.length() + ")";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case TIME -> "TIME(6)";
            case TIMESTAMP -> "TIMESTAMP(6)";
            case TIMESTAMPTZ -> "TIMESTAMP(6) WITH TIME ZONE";
            case UUID -> "UUID";
            case BINARY -> c.length() == null ? "BINARY VARYING" : "BINARY VARYING(" + c.length() + ")";
            case JSON -> "JSON";
        };
    }
}
