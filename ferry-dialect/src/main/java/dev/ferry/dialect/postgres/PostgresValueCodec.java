package dev.ferry.dialect.postgres;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.dialect.jdbc.StandardValueCodec;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * PostgreSQL value binding. JSON text is sent with {@link Types#OTHER}, i.e. as an untyped literal
 * the server parses as the target column's type, so one placeholder ({@code ?}) serves both
 * {@code json} and {@code jsonb} columns (a plain setString would be rejected: "column is of type
 * jsonb but expression is of type character varying"). Everything else is plain JDBC 4.2, which
 * pgjdbc supports for {@code java.time} and {@link java.util.UUID}. NULLs of JSON, UUID and
 * TIMESTAMPTZ are also sent untyped, because pgjdbc has no typed NULL for all of them.
 *
 * <p>Note: {@code jsonb} normalizes the text (key order, whitespace); {@code json} keeps it verbatim.
 */
final class PostgresValueCodec extends StandardValueCodec {
    /** An array column ({@link ColumnDef#serverType()} ending in {@code []}) takes its JSON array as a PostgreSQL array. */
    @Override
    protected void bindJson(PreparedStatement ps, int index, ColumnDef column, String json) throws SQLException {
        if (isArray(column)) {
            String type = column.serverType();
            ps.setArray(index, PostgresArrays.fromJson(ps.getConnection(), type.substring(0, type.length() - 2), json));
        } else {
            ps.setObject(index, json, Types.OTHER);
        }
    }

    @Override
    protected String readJson(ResultSet rs, int index, ColumnDef column) throws SQLException {
        return isArray(column) ? PostgresArrays.toJson(rs.getArray(index)) : rs.getString(index);
    }

    private static boolean isArray(ColumnDef column) {
        return column.serverType() != null && column.serverType().endsWith("[]");
    }

    /**
     * A value of an enum, {@code interval}, {@code inet}... column ({@link ColumnDef#serverType()}) goes
     * untyped, so the server parses the text as the column's own type and refuses what the type refuses
     * (a value outside the enum, a malformed address) for that row alone.
     */
    @Override
    protected void bindText(PreparedStatement ps, int index, ColumnDef column, String value) throws SQLException {
        if (column.serverType() != null) {
            ps.setObject(index, value, Types.OTHER);
        } else {
            ps.setString(index, value);
        }
    }

    @Override
    protected void bindNull(PreparedStatement ps, int index, ColumnDef column) throws SQLException {
        ps.setNull(index, column.serverType() != null ? Types.OTHER : sqlType(column.type()));
    }

    @Override
    protected int sqlType(FerryType type) {
        return switch (type) {
            case JSON, UUID, TIMESTAMPTZ -> Types.OTHER;
            default -> super.sqlType(type);
        };
    }
}
