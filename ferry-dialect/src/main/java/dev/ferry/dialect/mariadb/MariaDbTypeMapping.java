package dev.ferry.dialect.mariadb;

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
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MariaDB types to Ferry types and back. The mapping reads {@code information_schema.COLUMNS}
 * (exact {@code COLUMN_TYPE}, e.g. {@code tinyint(1)}, {@code int(10) unsigned}) instead of the
 * driver's metadata, whose DATA_TYPE depends on connection options such as {@code tinyInt1isBit},
 * and {@code information_schema.CHECK_CONSTRAINTS}, because MariaDB's JSON type is a LONGTEXT with a
 * {@code json_valid(col)} check and nothing else tells the two apart.
 *
 * <p>Unsigned integers widen to the next Ferry type that holds their whole range: tinyint unsigned
 * to SMALLINT, smallint/mediumint unsigned to INTEGER, int unsigned to BIGINT, bigint unsigned to
 * DECIMAL(20,0). Issue 13: {@code enum} and {@code set} travel as their text ({@code 'a,b'} for a set,
 * in MariaDB's order), which MariaDB checks against the declared values (an unknown one fails its
 * row under the default strict mode); {@code year} as SMALLINT; {@code bit(1)} as BOOLEAN and
 * {@code bit(2)} to {@code bit(63)} as BIGINT (the number the bits spell). Spatial types, {@code bit(64)},
 * inet4/inet6 are unsupported.
 *
 * <p>Comparison of keys (issue 10, defect 6): a text key column must have a binary collation
 * ({@code *_bin} or {@code *_nopad_bin}); every other collation, the server default
 * {@code utf8mb4_general_ci} and the {@code uca1400} ones included, makes keys that differ in case or
 * accents the same key, which SQLite and H2 remotes cannot reproduce, so such a key is refused. Under
 * a PAD SPACE collation ({@code *_bin}, every collation without {@code _nopad_}) {@code 'ab' = 'ab '};
 * such a key column, and every {@code char(n)} column (whose values MariaDB returns without trailing
 * spaces), is {@linkplain ColumnDef#padded() padded}.
 *
 * <p>time(n), datetime(n), timestamp(n) keep n fractional digits (0 when n is omitted) and cut the
 * rest off; n below 6 becomes the column's precision, so the server rejects values with more digits.
 * One instance describes the schema at the moment it was {@linkplain #load loaded}.
 */
final class MariaDbTypeMapping implements ColumnTypeMapper {
    private static final Pattern JSON_CHECK = Pattern.compile("(?i)^\\s*json_valid\\s*\\(\\s*`((?:[^`]|``)+)`\\s*\\)\\s*$");

    private record Info(String dataType, String columnType, Long charLength, Integer precision, Integer scale,
                        Integer fractionDigits, String charset, String collation) {
    }

    private final IdentifierQuoter quoter;
    private final Map<String, Info> columns;
    private final Set<String> jsonColumns;

    private MariaDbTypeMapping(IdentifierQuoter quoter, Map<String, Info> columns, Set<String> jsonColumns) {
        this.quoter = quoter;
        this.columns = columns;
        this.jsonColumns = jsonColumns;
    }

    /** Reads the column types, collations and JSON checks of the connection's current database. */
    static MariaDbTypeMapping load(Connection c, IdentifierQuoter quoter) throws SQLException {
        String db = currentDatabase(c);
        Map<String, Info> columns = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, "
                + "CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_SET_NAME, COLLATION_NAME "
                + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long len = rs.getLong(5);
                    Long charLength = rs.wasNull() ? null : len;
                    columns.put(key(rs.getString(1), rs.getString(2)), new Info(rs.getString(3).toLowerCase(Locale.ROOT),
                            rs.getString(4).toLowerCase(Locale.ROOT), charLength, intOrNull(rs, 6), intOrNull(rs, 7), intOrNull(rs, 8),
                            rs.getString(9), rs.getString(10)));
                }
            }
        }
        Set<String> json = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Matcher m = JSON_CHECK.matcher(rs.getString(2));
                    if (m.matches()) {
                        json.add(key(rs.getString(1), m.group(1).replace("``", "`")));
                    }
                }
            }
        }
        return new MariaDbTypeMapping(quoter, columns, json);
    }

    private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static String currentDatabase(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
            if (!rs.next() || rs.getString(1) == null) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, "the MariaDB connection has no current database",
                        "name the database in the JDBC URL: jdbc:mariadb://host:3306/<database>");
            }
            return rs.getString(1);
        }
    }

    @Override
    public ColumnDef map(NativeColumn c) {
        Info info = columns.get(key(c.table(), c.name()));
        if (info == null) {
            throw new FerryException(ErrorCode.SCHEMA_MISMATCH, "table " + c.table() + " column " + c.name()
                    + " is missing from information_schema.COLUMNS (was the table altered while Ferry read it?)");
        }
        String ct = info.columnType();
        boolean unsigned = ct.contains("unsigned");
        return switch (info.dataType()) {
            case "tinyint" -> ct.startsWith("tinyint(1)") && !unsigned ? simple(c, FerryType.BOOLEAN) : simple(c, FerryType.SMALLINT);
            case "smallint" -> simple(c, unsigned ? FerryType.INTEGER : FerryType.SMALLINT);
            case "mediumint" -> simple(c, FerryType.INTEGER);
            case "int" -> simple(c, unsigned ? FerryType.BIGINT : FerryType.INTEGER);
            case "bigint" -> unsigned ? decimal(c, 20, 0) : simple(c, FerryType.BIGINT);
            case "decimal" -> decimal(c, info.precision(), info.scale() == null ? 0 : info.scale());
            case "float" -> simple(c, FerryType.REAL);
            case "double" -> simple(c, FerryType.DOUBLE);
            case "char" -> text(c, info, true);
            case "varchar", "tinytext", "text", "mediumtext" -> text(c, info, false);
            case "longtext" -> jsonColumns.contains(key(c.table(), c.name())) ? simple(c, FerryType.JSON) : text(c, info, false);
            case "binary", "varbinary" -> sized(c, FerryType.BINARY, info.charLength());
            case "tinyblob", "blob", "mediumblob", "longblob" -> simple(c, FerryType.BINARY);
            case "date" -> simple(c, FerryType.DATE);
            case "time" -> temporal(c, FerryType.TIME, info);
            case "datetime" -> temporal(c, FerryType.TIMESTAMP, info);
            case "timestamp" -> temporal(c, FerryType.TIMESTAMPTZ, info);
            case "uuid" -> simple(c, FerryType.UUID);
            case "enum", "set" -> text(c, info, false);
            case "year" -> simple(c, FerryType.SMALLINT);
            case "bit" -> bits(c, info, ct);
            default -> throw c.unsupported(ct);
        };
    }

    /** NUMERIC_PRECISION is the number of bits; 64 of them do not fit a BIGINT. */
    private static ColumnDef bits(NativeColumn c, Info info, String columnType) {
        int n = info.precision() == null ? 1 : info.precision();
        if (n == 1) {
            return simple(c, FerryType.BOOLEAN);
        }
        if (n > 63) {
            throw c.unsupported(columnType);
        }
        return simple(c, FerryType.BIGINT);
    }

    private static ColumnDef simple(NativeColumn c, FerryType type) {
        return new ColumnDef(c.name(), type, c.nullable(), null, null, null);
    }

    private static ColumnDef sized(NativeColumn c, FerryType type, Long length) {
        return new ColumnDef(c.name(), type, c.nullable(), length == null ? null : Math.toIntExact(length), null, null);
    }

    /**
     * A text column; {@code fixedLength} for char(n). The key collation check and PAD SPACE rule are in
     * the class comment.
     */
    private ColumnDef text(NativeColumn c, Info info, boolean fixedLength) {
        boolean padded = fixedLength;
        String collation = info.collation();
        if (c.inPrimaryKey() && collation != null) {
            String lower = collation.toLowerCase(Locale.ROOT);
            if (!lower.endsWith("_bin")) {
                throw c.inexactKeyCollation(collation, "give it a binary collation: ALTER TABLE " + quoter.quote(c.table()) + " MODIFY "
                        + quoter.quote(c.name()) + " " + info.columnType() + " NOT NULL COLLATE " + info.charset() + "_nopad_bin ("
                        + info.charset() + "_bin works too, but then a key may not end in a space)");
            }
            padded |= !lower.contains("_nopad_");
        }
        Integer length = info.charLength() == null || info.dataType().endsWith("text") ? null : Math.toIntExact(info.charLength());
        return new ColumnDef(c.name(), FerryType.TEXT, c.nullable(), length, null, null, padded);
    }

    private static ColumnDef temporal(NativeColumn c, FerryType type, Info info) {
        Integer digits = info.fractionDigits();
        return new ColumnDef(c.name(), type, c.nullable(), null,
                digits == null || digits >= ColumnDef.MAX_FRACTION_DIGITS ? null : digits, null);
    }

    private static ColumnDef decimal(NativeColumn c, Integer precision, int scale) {
        return new ColumnDef(c.name(), FerryType.DECIMAL, c.nullable(), null, precision, scale);
    }

    private static String key(String table, String column) {
        return table + '\0' + column;
    }

    /**
     * The native type Ferry declares for a column. Unbounded TEXT becomes VARCHAR(255) because
     * MariaDB cannot put an unbounded TEXT in a primary key; the shadow tables Ferry creates on
     * MariaDB copy the base table's exact key column types instead (see {@link MariaDbTracking}).
     */
    static String nativeType(ColumnDef c) {
        return switch (c.type()) {
            case SMALLINT -> "SMALLINT";
            case INTEGER -> "INT";
            case BIGINT -> "BIGINT";
            case DECIMAL -> c.precision() == null ? "DECIMAL(65,30)" : "DECIMAL(" + c.precision() + "," + (c.scale() == null ? 0 : c.scale()) + ")";
            case REAL -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case TEXT -> (c.padded() && c.length() != null ? "CHAR(" : "VARCHAR(") + (c.length() == null ? 255 : c.length()) + ")";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case TIME -> "TIME(" + c.fractionDigits() + ")";
            case TIMESTAMP -> "DATETIME(" + c.fractionDigits() + ")";
            case TIMESTAMPTZ -> "TIMESTAMP(" + c.fractionDigits() + ")";
            case UUID -> "UUID";
            case BINARY -> c.length() == null ? "LONGBLOB" : "VARBINARY(" + c.length() + ")";
            case JSON -> "JSON";
        };
    }
}
