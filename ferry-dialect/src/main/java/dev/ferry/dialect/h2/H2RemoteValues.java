package dev.ferry.dialect.h2;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.value.Values;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Native H2 column types for each {@link FerryType}, and binding/reading canonical values through
 * java.time, so that nothing passes through the millisecond-precision {@code java.sql} date classes.
 *
 * <p>Choices worth knowing: times carry 6 fractional digits (the precision of every consolidated
 * database Ferry supports); a DECIMAL without precision is DECFLOAT, because H2's bare NUMERIC has
 * scale 0 and would round 19.99 to 20 (DECFLOAT keeps the value exactly but not trailing zeros:
 * 19.90 reads back as 19.9); JSON columns are written with {@code ? FORMAT JSON}, since a plain string
 * parameter would become a JSON string literal. Stateless.
 */
final class H2RemoteValues {
    private H2RemoteValues() {
    }

    /**
     * {@code " DEFAULT x"} for a column with a constant default ({@link ColumnDef#defaultValue()}): numbers
     * and booleans as such, dates and times as typed literals, everything else as a string; or nothing.
     */
    static String defaultClause(ColumnDef c) {
        String v = c.defaultValue();
        if (v == null) {
            return "";
        }
        String quoted = "'" + v.replace("'", "''") + "'";
        return " DEFAULT " + switch (c.type()) {
            case SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE -> v;
            case BOOLEAN -> Boolean.parseBoolean(v) ? "TRUE" : "FALSE";
            case DATE -> "DATE " + quoted;
            case TIME -> "TIME " + quoted;
            case TIMESTAMP -> "TIMESTAMP " + quoted.replace('T', ' ');
            default -> quoted;
        };
    }

    static String nativeType(ColumnDef c) {
        return switch (c.type()) {
            case SMALLINT -> "SMALLINT";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case DECIMAL -> c.precision() == null ? "DECFLOAT"
                    : "NUMERIC(" + c.precision() + ", " + (c.scale() == null ? 0 : c.scale()) + ")";
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

    static String placeholder(ColumnDef c) {
        return c.type() == FerryType.JSON ? "? FORMAT JSON" : "?";
    }

    static void bind(PreparedStatement ps, int i, ColumnDef c, Object value) throws SQLException {
        Object v = Values.canonical(c.type(), value);
        if (v == null) {
            ps.setNull(i, sqlType(c.type()));
            return;
        }
        switch (c.type()) {
            case SMALLINT, INTEGER, BIGINT -> ps.setLong(i, (Long) v);
            case DECIMAL -> ps.setBigDecimal(i, (BigDecimal) v);
            case REAL -> ps.setFloat(i, (Float) v);
            case DOUBLE -> ps.setDouble(i, (Double) v);
            case TEXT, JSON -> ps.setString(i, (String) v);
            case BOOLEAN -> ps.setBoolean(i, (Boolean) v);
            case BINARY -> ps.setBytes(i, (byte[]) v);
            case DATE, TIME, TIMESTAMP, TIMESTAMPTZ, UUID -> ps.setObject(i, v);
        }
    }

    static Object read(ResultSet rs, int i, ColumnDef c) throws SQLException {
        return switch (c.type()) {
            case SMALLINT, INTEGER, BIGINT -> {
                long l = rs.getLong(i);
                yield rs.wasNull() ? null : l;
            }
            case DECIMAL -> rs.getBigDecimal(i);
            case REAL -> {
                float f = rs.getFloat(i);
                yield rs.wasNull() ? null : f;
            }
            case DOUBLE -> {
                double d = rs.getDouble(i);
                yield rs.wasNull() ? null : d;
            }
            case BOOLEAN -> {
                boolean b = rs.getBoolean(i);
                yield rs.wasNull() ? null : b;
            }
            // getString of a JSON column is its JSON text.
            case TEXT, JSON -> rs.getString(i);
            case DATE -> rs.getObject(i, LocalDate.class);
            case TIME -> rs.getObject(i, LocalTime.class);
            case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMPTZ -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                yield t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
            }
            case UUID -> rs.getObject(i, UUID.class);
            case BINARY -> rs.getBytes(i);
        };
    }

    private static int sqlType(FerryType t) {
        return switch (t) {
            case SMALLINT -> Types.SMALLINT;
            case INTEGER -> Types.INTEGER;
            case BIGINT -> Types.BIGINT;
            case DECIMAL -> Types.NUMERIC;
            case REAL -> Types.REAL;
            case DOUBLE -> Types.DOUBLE;
            case TEXT, JSON -> Types.VARCHAR;
            case BOOLEAN -> Types.BOOLEAN;
            case DATE -> Types.DATE;
            case TIME -> Types.TIME;
            case TIMESTAMP -> Types.TIMESTAMP;
            case TIMESTAMPTZ -> Types.TIMESTAMP_WITH_TIMEZONE;
            case UUID -> Types.OTHER;
            case BINARY -> Types.VARBINARY;
        };
    }
}
