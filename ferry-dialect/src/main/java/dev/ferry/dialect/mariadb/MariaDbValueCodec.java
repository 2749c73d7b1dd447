package dev.ferry.dialect.mariadb;

import dev.ferry.core.schema.FerryType;
import dev.ferry.dialect.jdbc.StandardValueCodec;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * MariaDB value binding.
 * <ul>
 *   <li>TIMESTAMPTZ lives in a {@code TIMESTAMP} column, which MariaDB converts from and to the
 *       session time zone; the pool sets it to UTC ({@link MariaDbDialect#connectionInitSql()}), so the
 *       value is bound and read as the UTC {@link LocalDateTime}, never through {@code java.sql.Timestamp}
 *       and the JVM zone.</li>
 *   <li>REAL is bound as the float's exact double value: the decimal text of a float (3.4028235E38)
 *       can lie just outside FLOAT's range, its exact expansion never does.</li>
 *   <li>UUID (the native type of 10.7+) travels as its text form.</li>
 * </ul>
 */
final class MariaDbValueCodec extends StandardValueCodec {
    @Override
    protected void bindReal(PreparedStatement ps, int index, float value) throws SQLException {
        ps.setDouble(index, value);
    }

    @Override
    protected void bindTimestampTz(PreparedStatement ps, int index, OffsetDateTime utc) throws SQLException {
        ps.setObject(index, utc.toLocalDateTime());
    }

    @Override
    protected OffsetDateTime readTimestampTz(ResultSet rs, int index) throws SQLException {
        LocalDateTime t = rs.getObject(index, LocalDateTime.class);
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
