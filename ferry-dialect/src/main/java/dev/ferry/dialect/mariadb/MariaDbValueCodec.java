package dev.ferry.dialect.mariadb;

import dev.ferry.core.schema.FerryType;
import dev.ferry.dialect.jdbc.StandardValueCodec;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;
import java.util.UUID;

/**
 * MariaDB value binding.
 * <ul>
 *   <li>TIMESTAMPTZ lives in a {@code TIMESTAMP} column, which MariaDB converts from and to the
 *       session time zone; the pool sets it to UTC ({@link MariaDbDialect#connectionInitSql()}), so the
 *       value is bound as the UTC {@link LocalDateTime} and read as DATETIME is (see {@link #readTimestamp}).</li>
 *   <li>REAL is bound as the float's exact double value: the decimal text of a float (3.4028235E38)
 *       can lie just outside FLOAT's range, its exact expansion never does.</li>
 *   <li>UUID (the native type of 10.7+) travels as its text form.</li>
 * </ul>
 */
final class MariaDbValueCodec extends StandardValueCodec {
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    @Override
    protected void bindReal(PreparedStatement ps, int index, float value) throws SQLException {
        ps.setDouble(index, value);
    }

    @Override
    protected void bindTimestampTz(PreparedStatement ps, int index, OffsetDateTime utc) throws SQLException {
        ps.setObject(index, utc.toLocalDateTime());
    }

    /**
     * Connector/J 3.4 decodes DATETIME and TIMESTAMP through the JVM's default zone, even for
     * getObject(LocalDateTime) and getString: a wall time inside that zone's DST gap (02:30 on a
     * spring-forward night) comes back an hour later. Decoding into a UTC calendar has no gaps, and
     * the instant it yields, seen in UTC, is exactly the stored wall time.
     */
    @Override
    protected LocalDateTime readTimestamp(ResultSet rs, int index) throws SQLException {
        Timestamp t = rs.getTimestamp(index, Calendar.getInstance(UTC, Locale.ROOT));
        return t == null ? null : LocalDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC);
    }

    @Override
    protected OffsetDateTime readTimestampTz(ResultSet rs, int index) throws SQLException {
        LocalDateTime t = readTimestamp(rs, index);
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    @Override
    protected void bindUuid(PreparedStatement ps, int index, UUID uuid) throws SQLException {
        ps.setString(index, uuid.toString());
    }

    @Override
    protected UUID readUuid(ResultSet rs, int index) throws SQLException {
        String s = rs.getString(index);
        return s == null ? null : UUID.fromString(s);
    }

    @Override
    protected int sqlType(FerryType type) {
        return switch (type) {
            case UUID -> Types.VARCHAR;
            case TIMESTAMPTZ -> Types.TIMESTAMP;
            default -> super.sqlType(type);
        };
    }
}
