package dev.ferry.dialect.sqlite;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.value.Values;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * How each {@link FerryType} is stored in a STRICT SQLite table, bound and read back. Integers and
 * booleans (0/1) are INTEGER, REAL/DOUBLE are REAL, binary is BLOB, and every other type is TEXT in its
 * canonical text form ({@link Values#format}): a DECIMAL as its plain string, so 19.99 stays exact
 * (never NUMERIC affinity, which would turn it into a binary double).
 *
 * <p>Reading accepts what an application using {@code sqlite3} typically writes: space-separated
 * timestamps ({@code '2024-05-01 10:00:00'}), a TIMESTAMPTZ without offset (taken as UTC, SQLite's own
 * convention for {@code datetime('now')}), a REAL written into a DECIMAL column (STRICT converts it to
 * text). Stateless.
 */
final class SqliteValues {
    private SqliteValues() {
    }

    static String nativeType(ColumnDef column) {
        return switch (column.type()) {
            case SMALLINT, INTEGER, BIGINT, BOOLEAN -> "INTEGER";
            case REAL, DOUBLE -> "REAL";
            case BINARY -> "BLOB";
            case DECIMAL, TEXT, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, UUID, JSON -> "TEXT";
        };
    }

    /**
     * {@code " DEFAULT x"} for a column with a constant default ({@link ColumnDef#defaultValue()}), in the
     * form this remote stores (integers and reals as numbers, booleans as 0/1, everything else as the
     * canonical text), or nothing.
     */
    static String defaultClause(ColumnDef column) {
        String v = column.defaultValue();
        if (v == null) {
            return "";
        }
        return " DEFAULT " + switch (column.type()) {
            case SMALLINT, INTEGER, BIGINT, REAL, DOUBLE -> v;
            case BOOLEAN -> Boolean.parseBoolean(v) ? "1" : "0";
            default -> "'" + v.replace("'", "''") + "'";
        };
    }

    static void bind(PreparedStatement ps, int index, ColumnDef column, Object value) throws SQLException {
        Object v = Values.canonical(column.type(), value);
        if (v == null) {
            ps.setNull(index, Types.NULL);
            return;
        }
        switch (column.type()) {
            case SMALLINT, INTEGER, BIGINT -> ps.setLong(index, (Long) v);
            case BOOLEAN -> ps.setInt(index, (Boolean) v ? 1 : 0);
            // A float widened to double reads back as the same float.
            case REAL -> ps.setDouble(index, (Float) v);
            case DOUBLE -> ps.setDouble(index, (Double) v);
            case BINARY -> ps.setBytes(index, (byte[]) v);
            case DECIMAL -> ps.setString(index, ((BigDecimal) v).toPlainString());
            case TEXT, JSON, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, UUID -> ps.setString(index, Values.format(column.type(), v));
        }
    }

    static Object read(ResultSet rs, int index, ColumnDef column) throws SQLException {
        FerryType type = column.type();
        switch (type) {
            case SMALLINT, INTEGER, BIGINT -> {
                long l = rs.getLong(index);
                return rs.wasNull() ? null : l;
            }
            case BOOLEAN -> {
                long l = rs.getLong(index);
                return rs.wasNull() ? null : l != 0;
            }
            case REAL -> {
                float f = rs.getFloat(index);
                return rs.wasNull() ? null : f;
            }
            case DOUBLE -> {
                double d = rs.getDouble(index);
                return rs.wasNull() ? null : d;
            }
            case BINARY -> {
                return rs.getBytes(index);
            }
            default -> {
                String s = rs.getString(index);
                if (s == null) {
                    return null;
                }
                return type == FerryType.TIMESTAMPTZ ? parseTimestampTz(s) : Values.parse(type, s);
            }
        }
    }

    private static OffsetDateTime parseTimestampTz(String s) {
        try {
            return (OffsetDateTime) Values.parse(FerryType.TIMESTAMPTZ, s);
        } catch (FerryException withoutOffset) {
            try {
                return LocalDateTime.parse(s.trim().replace(' ', 'T')).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw withoutOffset;
            }
        }
    }
}
