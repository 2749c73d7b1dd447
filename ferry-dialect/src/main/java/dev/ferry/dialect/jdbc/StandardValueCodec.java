package dev.ferry.dialect.jdbc;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
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
 * Binds and reads canonical values (see {@link Values}) with plain JDBC 4.2: integers as long,
 * {@code java.time} objects for dates and times, bytes for binary. Dialects subclass it and override
 * only what their driver does differently (JSON, UUID, TIMESTAMPTZ, REAL). Stateless and thread-safe.
 *
 * <p>Values of a {@linkplain ColumnDef#padded() padded} text column are read without trailing spaces
 * ({@code char(5)} holds {@code 'ab   '} for {@code 'ab'}), so the server, its echo filter and every
 * remote see one form of the value.
 *
 * <p>Integers are range-checked against the Ferry type before binding, so a value that does not fit
 * a SMALLINT or INTEGER column is a {@code ROW_VALUE_OUT_OF_RANGE} {@link FerryException} on every
 * database, including a MariaDB running without strict mode, which would otherwise clamp it silently.
 */
public class StandardValueCodec {

    /** The placeholder for a value of this column; {@code ?} unless the database needs a conversion. */
    public String placeholder(ColumnDef column) {
        return "?";
    }

    public final void bind(PreparedStatement ps, int index, ColumnDef column, Object value) throws SQLException {
        Object v = Values.canonical(column.type(), value);
        if (v == null) {
            bindNull(ps, index, column);
            return;
        }
        switch (column.type()) {
            case SMALLINT, INTEGER, BIGINT -> ps.setLong(index, checkRange(column, (Long) v));
            case DECIMAL -> ps.setBigDecimal(index, (BigDecimal) v);
            case REAL -> bindReal(ps, index, (Float) v);
            case DOUBLE -> ps.setDouble(index, (Double) v);
            case TEXT -> bindText(ps, index, column, (String) v);
            case JSON -> bindJson(ps, index, column, (String) v);
            case BOOLEAN -> ps.setBoolean(index, (Boolean) v);
            case DATE, TIME, TIMESTAMP -> ps.setObject(index, v);
            case TIMESTAMPTZ -> bindTimestampTz(ps, index, ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC));
            case UUID -> bindUuid(ps, index, (UUID) v);
            case BINARY -> ps.setBytes(index, (byte[]) v);
            default -> throw new IllegalStateException("unhandled type " + column.type());
        }
    }

    public final Object read(ResultSet rs, int index, ColumnDef column) throws SQLException {
        Object v = switch (column.type()) {
            case SMALLINT, INTEGER, BIGINT -> {
                long l = rs.getLong(index);
                yield rs.wasNull() ? null : l;
            }
            case DECIMAL -> rs.getBigDecimal(index);
            case REAL -> {
                float f = rs.getFloat(index);
                yield rs.wasNull() ? null : f;
            }
            case DOUBLE -> {
                double d = rs.getDouble(index);
                yield rs.wasNull() ? null : d;
            }
            case TEXT -> column.padded() ? withoutPadding(rs.getString(index)) : rs.getString(index);
            case JSON -> readJson(rs, index, column);
            case BOOLEAN -> {
                boolean b = rs.getBoolean(index);
                yield rs.wasNull() ? null : b;
            }
            case DATE -> rs.getObject(index, LocalDate.class);
            case TIME -> rs.getObject(index, LocalTime.class);
            case TIMESTAMP -> readTimestamp(rs, index);
            case TIMESTAMPTZ -> {
                OffsetDateTime t = readTimestampTz(rs, index);
                yield t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
            }
            case UUID -> readUuid(rs, index);
            case BINARY -> rs.getBytes(index);
        };
        return v;
    }

    protected void bindNull(PreparedStatement ps, int index, ColumnDef column) throws SQLException {
        ps.setNull(index, sqlType(column.type()));
    }

    /** Text as text; a dialect whose TEXT columns may have another {@linkplain ColumnDef#serverType() server type} overrides it. */
    protected void bindText(PreparedStatement ps, int index, ColumnDef column, String value) throws SQLException {
        ps.setString(index, value);
    }

    /** The {@link Types} constant used for a SQL NULL of this type. */
    protected int sqlType(FerryType type) {
        return switch (type) {
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

    protected void bindReal(PreparedStatement ps, int index, float value) throws SQLException {
        ps.setFloat(index, value);
    }

    protected void bindJson(PreparedStatement ps, int index, ColumnDef column, String json) throws SQLException {
        ps.setString(index, json);
    }

    protected String readJson(ResultSet rs, int index, ColumnDef column) throws SQLException {
        return rs.getString(index);
    }

    protected LocalDateTime readTimestamp(ResultSet rs, int index) throws SQLException {
        return rs.getObject(index, LocalDateTime.class);
    }

    /** {@code utc} is already converted to UTC. */
    protected void bindTimestampTz(PreparedStatement ps, int index, OffsetDateTime utc) throws SQLException {
        ps.setObject(index, utc);
    }

    protected OffsetDateTime readTimestampTz(ResultSet rs, int index) throws SQLException {
        return rs.getObject(index, OffsetDateTime.class);
    }

    protected void bindUuid(PreparedStatement ps, int index, UUID uuid) throws SQLException {
        ps.setObject(index, uuid);
    }

    protected UUID readUuid(ResultSet rs, int index) throws SQLException {
        return rs.getObject(index, UUID.class);
    }

    /** Strips trailing U+0020 only: PAD SPACE pads with that character and no other. */
    private static String withoutPadding(String s) {
        if (s == null) {
            return null;
        }
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    private static long checkRange(ColumnDef column, long v) {
        long min;
        long max;
        switch (column.type()) {
            case SMALLINT -> {
                min = Short.MIN_VALUE;
                max = Short.MAX_VALUE;
            }
            case INTEGER -> {
                min = Integer.MIN_VALUE;
                max = Integer.MAX_VALUE;
            }
            default -> {
                return v;
            }
        }
        if (v < min || v > max) {
            throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE,
                    "value " + v + " for column " + column.name() + " is outside the " + column.type() + " range " + min + ".." + max);
        }
        return v;
    }
}
