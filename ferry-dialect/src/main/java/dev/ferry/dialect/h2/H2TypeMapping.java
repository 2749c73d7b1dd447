package dev.ferry.dialect.h2;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.dialect.jdbc.ColumnTypeMapper;
import dev.ferry.dialect.jdbc.IdentifierQuoter;
import dev.ferry.dialect.jdbc.NativeColumn;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * H2 2.x types to Ferry types and back, by the driver's TYPE_NAME (H2 2.x reports the standard
 * spelling: {@code CHARACTER VARYING}, {@code DOUBLE PRECISION}, {@code TIMESTAMP WITH TIME ZONE}).
 *
 * <p>H2 specifics: a {@code NUMERIC} declared without precision is NUMERIC(100000, 0), i.e. an
 * integer column, and is reported as such; {@code DECFLOAT} (decimal floating point, any scale) is
 * the unconstrained DECIMAL. A {@code CHARACTER VARYING} or {@code BINARY VARYING} without length
 * reports H2's maximum (1,000,000,000) and becomes unbounded; LOBs are unbounded. The fractional
 * seconds a TIME or TIMESTAMP column holds are its declared precision: plain {@code TIME} in H2 has
 * none (0), plain {@code TIMESTAMP} six; Ferry declares {@code TIME(6)} and {@code TIMESTAMP(6) WITH
 * TIME ZONE}. Arrays, ENUM, INTERVAL, GEOMETRY, ROW, JAVA_OBJECT and TIME WITH TIME ZONE are unsupported.
 *
 * <p>Comparison of keys (issue 10, defect 6): H2 compares text exactly unless a column is
 * {@code VARCHAR_IGNORECASE} or the database has a collation ({@code SET COLLATION}); such key columns
 * are refused. {@code CHARACTER(n)} pads its values and ignores the padding in comparisons; it is
 * {@linkplain ColumnDef#padded() padded}. One instance describes the database at the moment it was
 * {@linkplain #load loaded}.
 */
final class H2TypeMapping implements ColumnTypeMapper {
    /** H2's maximum CHARACTER VARYING / BINARY VARYING length, which is what "no length" reports. */
    private static final int MAX_LENGTH = 1_000_000_000;

    private final IdentifierQuoter quoter;
    /** The database's collation, or null when it compares text exactly (no {@code SET COLLATION}). */
    private final String databaseCollation;

    private H2TypeMapping(IdentifierQuoter quoter, String databaseCollation) {
        this.quoter = quoter;
        this.databaseCollation = databaseCollation;
    }

    /** Reads the database's collation setting. */
    static H2TypeMapping load(Connection c, IdentifierQuoter quoter) throws SQLException {
        String collation = null;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'COLLATION'")) {
            if (rs.next() && rs.getString(1) != null && !rs.getString(1).isBlank() && !rs.getString(1).equalsIgnoreCase("OFF")) {
                collation = rs.getString(1);
            }
        }
        return new H2TypeMapping(quoter, collation);
    }

    @Override
    public ColumnDef map(NativeColumn c) {
        String t = c.typeName();
        if (c.inPrimaryKey()) {
            checkKeyCollation(c);
        }
        if (t.startsWith("ENUM(")) {
            // Issue 13: an enum (its TYPE_NAME lists the labels) travels as its label; H2 refuses a label it does not declare.
            return simple(c, FerryType.TEXT);
        }
        return switch (t) {
            case "TINYINT", "SMALLINT" -> simple(c, FerryType.SMALLINT);
            case "INTEGER" -> simple(c, FerryType.INTEGER);
            case "BIGINT" -> simple(c, FerryType.BIGINT);
            case "NUMERIC", "DECIMAL" -> new ColumnDef(c.name(), FerryType.DECIMAL, c.nullable(), null, c.size(),
                    c.decimalDigits() == null ? 0 : c.decimalDigits());
            case "DECFLOAT" -> simple(c, FerryType.DECIMAL);
            case "REAL" -> simple(c, FerryType.REAL);
            case "DOUBLE PRECISION" -> simple(c, FerryType.DOUBLE);
            case "CHARACTER VARYING", "VARCHAR_IGNORECASE" -> sized(c, FerryType.TEXT);
            case "CHARACTER" -> new ColumnDef(c.name(), FerryType.TEXT, c.nullable(), c.size(), null, null, true);
            case "CHARACTER LARGE OBJECT" -> simple(c, FerryType.TEXT);
            case "BOOLEAN" -> simple(c, FerryType.BOOLEAN);
            case "DATE" -> simple(c, FerryType.DATE);
            case "TIME" -> temporal(c, FerryType.TIME);
            case "TIMESTAMP" -> temporal(c, FerryType.TIMESTAMP);
            case "TIMESTAMP WITH TIME ZONE" -> temporal(c, FerryType.TIMESTAMPTZ);
            case "UUID" -> simple(c, FerryType.UUID);
            case "BINARY VARYING", "BINARY" -> sized(c, FerryType.BINARY);
            case "BINARY LARGE OBJECT" -> simple(c, FerryType.BINARY);
            case "JSON" -> simple(c, FerryType.JSON);
            default -> throw c.unsupported(t);
        };
    }

    private void checkKeyCollation(NativeColumn c) {
        String t = c.typeName();
        String exact = "CHARACTER VARYING" + (c.size() == null || c.size() >= MAX_LENGTH ? "" : "(" + c.size() + ")");
        if (t.equals("VARCHAR_IGNORECASE")) {
            throw c.inexactKeyCollation("VARCHAR_IGNORECASE", "make it case-sensitive: ALTER TABLE " + quoter.quote(c.table())
                    + " ALTER COLUMN " + quoter.quote(c.name()) + " SET DATA TYPE " + exact);
        }
        boolean text = t.equals("CHARACTER VARYING") || t.equals("CHARACTER") || t.equals("CHARACTER LARGE OBJECT");
        if (text && databaseCollation != null) {
            throw c.inexactKeyCollation(databaseCollation + " (the database's SET COLLATION)",
                    "use a key that is not text, or a database created without SET COLLATION");
        }
    }

    /** The driver reports the fractional-second digits as DECIMAL_DIGITS. */
    private static ColumnDef temporal(NativeColumn c, FerryType type) {
        Integer digits = c.decimalDigits();
        return new ColumnDef(c.name(), type, c.nullable(), null,
                digits == null || digits >= ColumnDef.MAX_FRACTION_DIGITS ? null : digits, null);
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
            // A padded key's shadow column must pad too, or the stamper's "WHERE key = 'ab'" misses 'ab   '.
            case TEXT -> c.length() == null ? "CHARACTER VARYING" : (c.padded() ? "CHARACTER(" : "CHARACTER VARYING(") + c.length() + ")";
            case BOOLEAN -> "BOOLEAN";
            case DATE -> "DATE";
            case TIME -> "TIME(" + c.fractionDigits() + ")";
            case TIMESTAMP -> "TIMESTAMP(" + c.fractionDigits() + ")";
            case TIMESTAMPTZ -> "TIMESTAMP(" + c.fractionDigits() + ") WITH TIME ZONE";
            case UUID -> "UUID";
            case BINARY -> c.length() == null ? "BINARY VARYING" : "BINARY VARYING(" + c.length() + ")";
            case JSON -> "JSON";
        };
    }
}
