package dev.ferry.dialect;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnChoice;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.ColumnGeneration;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.core.schema.SchemaRefusal;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import dev.ferry.testkit.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * The behaviour every {@link ConsolidatedDialect} must have, run against a real, fresh database per
 * test. Subclasses supply the dialect, the database and the few native spellings that differ.
 * All test tables are created with {@link ConsolidatedDialect#quote} so their names are the same
 * lower-case names on every database.
 */
public abstract class ConsolidatedDialectContract {

    /** A column of the given native type and the Ferry column readSchema must map it to. */
    public record TypeCase(String column, String nativeType, ColumnDef expected) {
        public static TypeCase of(String column, String nativeType, FerryType type) {
            return new TypeCase(column, nativeType, ColumnDef.of(column, type, true));
        }

        public static TypeCase text(String column, String nativeType, Integer length) {
            return new TypeCase(column, nativeType, new ColumnDef(column, FerryType.TEXT, true, length, null, null));
        }

        public static TypeCase binary(String column, String nativeType, Integer length) {
            return new TypeCase(column, nativeType, new ColumnDef(column, FerryType.BINARY, true, length, null, null));
        }

        public static TypeCase decimal(String column, String nativeType, Integer precision, Integer scale) {
            return new TypeCase(column, nativeType, new ColumnDef(column, FerryType.DECIMAL, true, null, precision, scale));
        }

        /** A fixed-length char(n): padded, so its values are read without trailing spaces. */
        public static TypeCase paddedText(String column, String nativeType, Integer length) {
            return new TypeCase(column, nativeType, new ColumnDef(column, FerryType.TEXT, true, length, null, null, true));
        }

        /** A TIME, TIMESTAMP or TIMESTAMPTZ column holding {@code digits} (fewer than 6) fractional-second digits. */
        public static TypeCase temporal(String column, String nativeType, FerryType type, int digits) {
            return new TypeCase(column, nativeType, new ColumnDef(column, type, true, null, digits, null));
        }
    }

    protected TestDatabase db;
    protected ConsolidatedDialect dialect;
    protected Connection conn;
    private final List<Connection> opened = new ArrayList<>();

    protected abstract ConsolidatedDialect createDialect();

    protected abstract TestDatabase createDatabase();

    /**
     * One column per supported type that must round-trip exactly; the names {@code c_decimal}
     * (DECIMAL(12,2)), {@code c_varchar} (TEXT(40)), {@code c_timestamp}, {@code c_uuid}, {@code c_date} must be present.
     */
    protected abstract List<TypeCase> roundTripColumns();

    /** Further native types that map to Ferry types (aliases, widths, unsigned...). */
    protected abstract List<TypeCase> extraMappings();

    /** Native column types readSchema must refuse. */
    protected abstract List<String> unsupportedTypes();

    /** Creates the user-defined types {@link #unsupportedTypes()} refers to, if any. */
    protected void createUserTypes(Connection c) throws SQLException {
    }

    /**
     * A text type that can be a key Ferry accepts: {@code nativeType} itself, unless the database's
     * default collation folds case (MariaDB), where the key needs a binary collation (issue 10).
     */
    protected String exactTextKey(String nativeType) {
        return nativeType;
    }

    /**
     * A text type of this database under which keys differing only in case are equal, created if need be
     * on {@code c}, and the collation name the refusal must show.
     */
    protected abstract String[] caseInsensitiveTextType(Connection c) throws SQLException;

    /** A SQL predicate that is true when the JSON column holds a JSON object (not a JSON string). */
    protected abstract String jsonIsObjectSql(String quotedColumn);

    /** A SQL expression giving the epoch seconds (with fraction) of a TIMESTAMPTZ column, independent of any session zone. */
    protected abstract String epochSecondsSql(String quotedColumn);

    /** How many triggers and trigger functions Ferry has installed for a table (prefix given). */
    protected abstract int trackingObjects(Connection c, String table, String prefix) throws SQLException;

    /** Whether an UPDATE that changes no value still resets the shadow row (MariaDB records every update). */
    protected abstract boolean recordsNoOpUpdates();

    /** The column type of a column the database computes as {@code expression}, e.g. {@code INTEGER GENERATED ALWAYS AS (x) STORED}. */
    protected abstract String computedType(String expression);

    /** The column type of a GENERATED ALWAYS identity column, or null when the database has none. */
    protected abstract String identityAlwaysType();

    /** A column type the database numbers but that takes explicit values too (BY DEFAULT identity, AUTO_INCREMENT). */
    protected abstract String numberingByDefaultType();

    /** Whether the database lets a computed column be the primary key. */
    protected abstract boolean computedKeysAllowed();

    /** A query giving the session's current lock-wait timeout in the database's own unit. */
    protected abstract String sessionLockTimeoutSql();

    /** The JDBC URL the server would use for this database. */
    protected String url(TestDatabase database) {
        return database.url();
    }

    @BeforeEach
    void openDatabase() throws SQLException {
        dialect = createDialect();
        db = createDatabase();
        conn = open();
    }

    @AfterEach
    void closeDatabase() {
        for (Connection c : opened) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the database is dropped next
            }
        }
        if (db != null) {
            db.close();
        }
    }

    /** A new auto-commit connection, initialized as the server's pool initializes them. */
    protected Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url(db));
        opened.add(c);
        if (dialect.connectionInitSql() != null) {
            try (Statement s = c.createStatement()) {
                s.execute(dialect.connectionInitSql());
            }
        }
        return c;
    }

    protected String q(String identifier) {
        return dialect.quote(identifier);
    }

    protected static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String x : sql) {
                s.execute(x);
            }
        }
    }

    protected static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    protected TableDef table(String name) throws SQLException {
        List<TableDef> t = dialect.readSchema(conn, List.of(name));
        assertThat(t).hasSize(1);
        return t.get(0);
    }

    private TypeCase roundTrip(String column) {
        return roundTripColumns().stream().filter(t -> t.column().equals(column)).findFirst()
                .orElseThrow(() -> new AssertionError("roundTripColumns() lacks " + column));
    }

    // ---------------------------------------------------------------------------------------------
    // 1. values

    /** Two non-null sample values per column: edge values of the type, cut to what the column declares it holds. */
    protected static Object[] samples(ColumnDef c) {
        Object[] v = typeSamples(c);
        for (int i = 0; i < v.length; i++) {
            v[i] = fitting(c, v[i]);
        }
        return v;
    }

    private static Object fitting(ColumnDef c, Object v) {
        long unit = (long) Math.pow(10, 9 - c.fractionDigits());
        return switch (c.type()) {
            case TEXT -> c.length() == null ? v : ((String) v).codePoints().limit(c.length())
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            case TIME -> ((LocalTime) v).withNano((int) (((LocalTime) v).getNano() / unit * unit));
            case TIMESTAMP -> ((LocalDateTime) v).withNano((int) (((LocalDateTime) v).getNano() / unit * unit));
            case TIMESTAMPTZ -> ((OffsetDateTime) v).withNano((int) (((OffsetDateTime) v).getNano() / unit * unit));
            default -> v;
        };
    }

    private static Object[] typeSamples(ColumnDef c) {
        return switch (c.type()) {
            case SMALLINT -> new Object[] {(long) Short.MIN_VALUE, (long) Short.MAX_VALUE};
            case INTEGER -> new Object[] {(long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE};
            case BIGINT -> new Object[] {Long.MIN_VALUE, Long.MAX_VALUE};
            case DECIMAL -> c.precision() == null
                    ? new Object[] {new BigDecimal("123456789012345678901234567890.123456789"), new BigDecimal("-0.000000000000000000001")}
                    : new Object[] {new BigDecimal("19.99"), new BigDecimal("-9999999999.99")};
            case REAL -> new Object[] {3.1415927f, -Float.MAX_VALUE};
            case DOUBLE -> new Object[] {0.1, Double.MAX_VALUE};
            case TEXT -> new Object[] {"héllo ✓ 😀 漢字 e\u0301 'q' \"d\" \\ %_", ""};
            case BOOLEAN -> new Object[] {true, false};
            case DATE -> new Object[] {LocalDate.of(2024, 2, 29), LocalDate.of(9999, 12, 31)};
            case TIME -> new Object[] {LocalTime.of(23, 59, 59, 999_999_000), LocalTime.of(0, 0, 0, 1_000)};
            // 2024-03-10 02:30 does not exist in the tests' JVM zone (DST gap in America/St_Johns).
            case TIMESTAMP -> new Object[] {LocalDateTime.of(2024, 3, 10, 2, 30, 59, 999_999_000),
                    LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1_000)};
            case TIMESTAMPTZ -> new Object[] {OffsetDateTime.of(2024, 3, 10, 2, 30, 0, 654_321_000, ZoneOffset.ofHoursMinutes(5, 30)),
                    // 02:30:00.000001 UTC: a wall time inside the JVM zone's DST gap
                    OffsetDateTime.of(2024, 3, 10, 0, 30, 0, 1_000, ZoneOffset.ofHours(-2))};
            case UUID -> new Object[] {UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                    UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff")};
            case BINARY -> new Object[] {new byte[] {0, 1, 0, (byte) 0xff, 0, 0x7f, (byte) 0x80, 0}, new byte[0]};
            case JSON -> new Object[] {"{\"a\":1,\"b\":[true,null,\"x\"],\"c\":{\"d\":\"é😀\"}}", "[1,2.5,\"z\"]"};
        };
    }

    /** Writes two rows of edge values and a row of NULLs through the dialect, reads them back on another connection. */
    private Connection assertRowsRoundTrip(TableDef def) throws SQLException {
        StringBuilder insert = new StringBuilder("INSERT INTO " + q(def.name()) + " (");
        StringBuilder values = new StringBuilder(") VALUES (");
        for (int i = 0; i < def.columns().size(); i++) {
            ColumnDef c = def.columns().get(i);
            insert.append(i == 0 ? "" : ", ").append(q(c.name()));
            values.append(i == 0 ? "" : ", ").append(dialect.placeholder(c));
        }
        Map<Long, Object[]> rows = new LinkedHashMap<>();
        for (long id = 1; id <= 3; id++) {
            Object[] row = new Object[def.columns().size()];
            row[0] = id;
            for (int i = 1; i < row.length; i++) {
                row[i] = id == 3 ? null : samples(def.columns().get(i))[(int) id - 1];
            }
            rows.put(id, row);
        }
        try (PreparedStatement ps = conn.prepareStatement(insert + values.toString() + ")")) {
            for (Object[] row : rows.values()) {
                for (int i = 0; i < row.length; i++) {
                    dialect.bind(ps, i + 1, def.columns().get(i), row[i]);
                }
                ps.executeUpdate();
            }
        }

        // Read back on another connection: nothing may depend on the writing session.
        Connection reader = open();
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < def.columns().size(); i++) {
            select.append(i == 0 ? "" : ", ").append(q(def.columns().get(i).name()));
        }
        select.append(" FROM ").append(q(def.name())).append(" ORDER BY ").append(q("id"));
        int seen = 0;
        try (PreparedStatement ps = reader.prepareStatement(select.toString()); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = (Long) dialect.read(rs, 1, def.columns().get(0));
                Object[] want = rows.get(id);
                for (int i = 0; i < want.length; i++) {
                    ColumnDef c = def.columns().get(i);
                    Object got = dialect.read(rs, i + 1, c);
                    Object exp = Values.canonical(c.type(), want[i]);
                    assertThat(Values.equal(c.type(), exp, got))
                            .as("%s row %d: expected %s, got %s", c.name(), id, Values.format(c.type(), exp), describe(c.type(), got))
                            .isTrue();
                    if (got != null) {
                        assertThat(got).as("%s is canonical", c.name()).isExactlyInstanceOf(exp.getClass());
                    }
                    if (got instanceof OffsetDateTime t) {
                        assertThat(t.getOffset()).as("TIMESTAMPTZ is read in UTC").isEqualTo(ZoneOffset.UTC);
                    }
                    if (got instanceof BigDecimal d && c.precision() != null) {
                        assertThat(d.toPlainString()).as("DECIMAL keeps its scale").isEqualTo(((BigDecimal) exp).setScale(c.scale()).toPlainString());
                    }
                }
                seen++;
            }
        }
        assertThat(seen).isEqualTo(3);

        return reader;
    }

    @Test
    void nativeTypesMapBackToTheirFerryTypeAndHoldItsValues() throws SQLException {
        List<ColumnDef> defs = new ArrayList<>();
        for (FerryType t : FerryType.values()) {
            defs.add(ColumnDef.of("n_" + t.name().toLowerCase(Locale.ROOT), t, true));
        }
        defs.add(new ColumnDef("n_text40", FerryType.TEXT, true, 40, null, null));
        defs.add(new ColumnDef("n_binary16", FerryType.BINARY, true, 16, null, null));
        defs.add(new ColumnDef("n_decimal12", FerryType.DECIMAL, true, null, 12, 2));
        defs.add(new ColumnDef("n_char5", FerryType.TEXT, true, 5, null, null, true));
        defs.add(new ColumnDef("n_time0", FerryType.TIME, true, null, 0, null));
        defs.add(new ColumnDef("n_timestamp3", FerryType.TIMESTAMP, true, null, 3, null));
        defs.add(new ColumnDef("n_timestamptz2", FerryType.TIMESTAMPTZ, true, null, 2, null));
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + q("natives") + " (" + q("id") + " " + dialect.nativeType(
                ColumnDef.of("id", FerryType.BIGINT, false)) + " NOT NULL PRIMARY KEY");
        for (ColumnDef c : defs) {
            ddl.append(", ").append(q(c.name())).append(' ').append(dialect.nativeType(c));
        }
        exec(conn, ddl.append(")").toString());
        TableDef natives = table("natives");
        for (ColumnDef want : defs) {
            ColumnDef got = natives.column(want.name());
            assertThat(got.type()).as("%s -> %s", want.typeLabel(), dialect.nativeType(want)).isEqualTo(want.type());
            if (want.length() != null) {
                // PostgreSQL's bytea has no length limit to declare.
                assertThat(got.length()).as(want.name()).isIn(want.length(), want.type() == FerryType.BINARY ? null : want.length());
            }
            if (want.precision() != null) {
                assertThat(Arrays.asList(got.precision(), got.scale())).as(want.name()).containsExactly(want.precision(), want.scale());
            }
            assertThat(got.padded()).as(want.name() + " padded").isEqualTo(want.padded());
        }
        assertRowsRoundTrip(natives);
    }

    @Test
    void everyTypeRoundTripsExactly() throws SQLException {
        List<TypeCase> cases = roundTripColumns();
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + q("types") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY");
        for (TypeCase t : cases) {
            ddl.append(", ").append(q(t.column())).append(' ').append(t.nativeType());
        }
        exec(conn, ddl.append(")").toString());

        TableDef def = table("types");
        List<ColumnDef> expected = new ArrayList<>();
        expected.add(ColumnDef.of("id", FerryType.INTEGER, false));
        cases.forEach(t -> expected.add(t.expected()));
        assertThat(def.columns()).containsExactlyElementsOf(expected);
        assertThat(typesOf(def)).as("the round trip covers every Ferry type").containsExactlyInAnyOrder(FerryType.values());

        Connection reader = assertRowsRoundTrip(def);

        // Stored as the right instant and as real JSON, as other SQL clients see them.
        String tz = def.columns().stream().filter(c -> c.type() == FerryType.TIMESTAMPTZ).findFirst().orElseThrow().name();
        OffsetDateTime odt = (OffsetDateTime) samples(def.column(tz))[0];
        BigDecimal epoch = BigDecimal.valueOf(odt.toEpochSecond()).add(BigDecimal.valueOf(odt.getNano(), 9));
        try (Statement s = reader.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + epochSecondsSql(q(tz)) + " FROM " + q("types") + " WHERE " + q("id") + " = 1")) {
            rs.next();
            assertThat(rs.getBigDecimal(1)).isEqualByComparingTo(epoch);
        }
        String json = def.columns().stream().filter(c -> c.type() == FerryType.JSON).findFirst().orElseThrow().name();
        assertThat(count(reader, "SELECT COUNT(*) FROM " + q("types") + " WHERE " + q("id") + " = 1 AND " + jsonIsObjectSql(q(json))))
                .as("JSON is stored as a JSON object, not as a JSON string").isEqualTo(1);
    }

    private static java.util.Set<FerryType> typesOf(TableDef def) {
        java.util.Set<FerryType> s = java.util.EnumSet.noneOf(FerryType.class);
        def.columns().forEach(c -> s.add(c.type()));
        return s;
    }

    private static String describe(FerryType type, Object v) {
        if (v == null) {
            return "null";
        }
        try {
            return Values.format(type, v) + " (" + v.getClass().getSimpleName() + ")";
        } catch (ClassCastException e) {
            return v + " (" + v.getClass().getSimpleName() + ")";
        }
    }

    @Test
    void integersOutsideTheColumnTypeAreRefusedNotWrapped() throws SQLException {
        exec(conn, "CREATE TABLE " + q("ints") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("s") + " SMALLINT)");
        TableDef def = table("ints");
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + q("ints") + " VALUES (?, ?)")) {
            assertThatThrownBy(() -> dialect.bind(ps, 2, def.column("s"), 32768L))
                    .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROW_VALUE_OUT_OF_RANGE));
            assertThatThrownBy(() -> dialect.bind(ps, 1, def.column("id"), 1L + Integer.MAX_VALUE))
                    .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROW_VALUE_OUT_OF_RANGE));
            assertThatThrownBy(() -> dialect.bind(ps, 1, def.column("id"), (long) Integer.MIN_VALUE - 1))
                    .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROW_VALUE_OUT_OF_RANGE));
        }
        assertThat(count(conn, "SELECT COUNT(*) FROM " + q("ints"))).isZero();
    }

    // ---------------------------------------------------------------------------------------------
    // 2. schema

    @Test
    void readSchemaMapsNativeTypes() throws SQLException {
        createUserTypes(conn);
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + q("mapped") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY");
        for (TypeCase t : extraMappings()) {
            ddl.append(", ").append(q(t.column())).append(' ').append(t.nativeType());
        }
        exec(conn, ddl.append(")").toString());
        List<ColumnDef> expected = new ArrayList<>();
        expected.add(ColumnDef.of("id", FerryType.INTEGER, false));
        extraMappings().forEach(t -> expected.add(t.expected()));
        assertThat(table("mapped").columns()).containsExactlyElementsOf(expected);
    }

    @Test
    void unsupportedColumnTypesAreRefusedNamingTableAndColumn() throws SQLException {
        List<String> types = unsupportedTypes();
        assertThat(types).isNotEmpty();
        createUserTypes(conn);
        for (int i = 0; i < types.size(); i++) {
            String table = "odd_" + i;
            exec(conn, "CREATE TABLE " + q(table) + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("c_odd") + " " + types.get(i) + ")");
            assertThatThrownBy(() -> dialect.readSchema(conn, List.of(table)))
                    .as(types.get(i))
                    .isInstanceOfSatisfying(FerryException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_UNSUPPORTED_TYPE);
                        assertThat(e.getMessage()).contains("table " + table + " column c_odd has type ").contains("cannot synchronize");
                    });
        }
        // Listing all tables does not silently drop a table the user may expect to be synchronized.
        assertThatThrownBy(() -> dialect.readSchema(conn, null))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_UNSUPPORTED_TYPE));
    }

    /**
     * Issue 13: one reading names every problem (each refused column, a missing table, a named table
     * without key) instead of the first, leaves each refused table out whole with the foreign keys that
     * point at it, and keeps every other table.
     */
    @Test
    void theSchemaReportNamesEveryRefusalAtOnceAndKeepsTheOtherTables() throws SQLException {
        List<String> types = unsupportedTypes();
        createUserTypes(conn);
        exec(conn,
                "CREATE TABLE " + q("good") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY)",
                "CREATE TABLE " + q("odd") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("c_one") + " " + types.get(0) + ", "
                        + q("c_two") + " " + types.get(types.size() - 1) + ")",
                "CREATE TABLE " + q("child") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("odd_id") + " INTEGER, "
                        + q("good_id") + " INTEGER, CONSTRAINT " + q("fk_child_odd") + " FOREIGN KEY (" + q("odd_id") + ") REFERENCES "
                        + q("odd") + " (" + q("id") + "), CONSTRAINT " + q("fk_child_good") + " FOREIGN KEY (" + q("good_id") + ") REFERENCES "
                        + q("good") + " (" + q("id") + "))",
                "CREATE TABLE " + q("nokey") + " (" + q("x") + " INTEGER)");

        SchemaReading all = dialect.readSchemaReport(conn, null, ColumnChoice.ALL);
        assertThat(all.tables()).extracting(TableDef::name).containsExactlyInAnyOrder("child", "good");
        assertThat(all.tables().stream().filter(t -> t.name().equals("child")).findFirst().orElseThrow().foreignKeys())
                .as("the key to the refused table is dropped").extracting(ForeignKeyDef::referencedTable).containsExactly("good");
        assertThat(all.refusals()).extracting(SchemaRefusal::table, SchemaRefusal::column, SchemaRefusal::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("odd", "c_one", ErrorCode.SCHEMA_UNSUPPORTED_TYPE),
                org.assertj.core.groups.Tuple.tuple("odd", "c_two", ErrorCode.SCHEMA_UNSUPPORTED_TYPE));
        assertThat(all.withoutKey()).containsExactly("nokey");
        assertThat(all.nativeTypes().get("good")).containsKey("id");

        SchemaReading named = dialect.readSchemaReport(conn, List.of("good", "missing", "nokey", "odd"), ColumnChoice.ALL);
        assertThat(named.tables()).extracting(TableDef::name).containsExactly("good");
        assertThat(named.refusals()).extracting(SchemaRefusal::table, SchemaRefusal::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("missing", ErrorCode.TABLE_NOT_FOUND),
                org.assertj.core.groups.Tuple.tuple("nokey", ErrorCode.SCHEMA_UNSUPPORTED_TYPE),
                org.assertj.core.groups.Tuple.tuple("odd", ErrorCode.SCHEMA_UNSUPPORTED_TYPE),
                org.assertj.core.groups.Tuple.tuple("odd", ErrorCode.SCHEMA_UNSUPPORTED_TYPE));
    }

    /** Issue 13: leaving a column out (sync.tables.<t>.excludeColumns / columns) keeps a table whose other columns Ferry can carry. */
    @Test
    void aColumnTheConfigurationLeavesOutIsNotReadAndAChoiceThatCannotWorkIsRefused() throws SQLException {
        createUserTypes(conn);
        exec(conn, "CREATE TABLE " + q("film") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("title") + " VARCHAR(40) NOT NULL, "
                + q("fts") + " " + unsupportedTypes().get(0) + ", " + q("note") + " VARCHAR(40), " + q("rating") + " INTEGER DEFAULT 3 NOT NULL)");

        SchemaReading without = dialect.readSchemaReport(conn, List.of("film"), choice(null, List.of("fts", "rating")));
        assertThat(without.refusals()).isEmpty();
        assertThat(without.tables().get(0).columns()).extracting(ColumnDef::name).containsExactly("id", "title", "note");
        assertThat(without.leftOut()).containsEntry("film", List.of("fts", "rating"));

        SchemaReading only = dialect.readSchemaReport(conn, List.of("film"), choice(List.of("id", "title"), List.of()));
        assertThat(only.refusals()).isEmpty();
        assertThat(only.tables().get(0).columns()).extracting(ColumnDef::name).containsExactly("id", "title");

        SchemaReading wrong = dialect.readSchemaReport(conn, List.of("film"), choice(List.of("note", "nope"), List.of()));
        assertThat(wrong.tables()).isEmpty();
        assertThat(wrong.refusals()).extracting(SchemaRefusal::column, SchemaRefusal::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple("nope", ErrorCode.CONFIG_INVALID),
                org.assertj.core.groups.Tuple.tuple("id", ErrorCode.CONFIG_INVALID),
                org.assertj.core.groups.Tuple.tuple("title", ErrorCode.CONFIG_INVALID));
        assertThat(wrong.refusals().get(2).reason()).contains("NOT NULL without a default");
    }

    private static ColumnChoice choice(List<String> only, List<String> excluded) {
        return new ColumnChoice(Map.of("film", new ColumnChoice.Columns(only, excluded)));
    }

    /** Issue 13: a constant default reaches the remotes in canonical form; an expression does not. */
    @Test
    void constantDefaultsAreReadInCanonicalFormAndExpressionsAreNot() throws SQLException {
        exec(conn, "CREATE TABLE " + q("defs") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, "
                + q("status") + " VARCHAR(10) DEFAULT 'new', " + q("quoted") + " VARCHAR(10) DEFAULT 'it''s', "
                + q("n") + " INTEGER DEFAULT 7, " + q("neg") + " INTEGER DEFAULT -1, " + q("amount") + " DECIMAL(6,2) DEFAULT 1.50, "
                + q("flag") + " BOOLEAN DEFAULT TRUE, " + q("day") + " DATE DEFAULT '2024-01-01', "
                + q("computed") + " DATE DEFAULT (CURRENT_DATE), " + q("none") + " INTEGER)");
        TableDef defs = table("defs");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("id", null);
        expected.put("status", "new");
        expected.put("quoted", "it's");
        expected.put("n", "7");
        expected.put("neg", "-1");
        expected.put("amount", "1.50");
        expected.put("flag", "true");
        expected.put("day", "2024-01-01");
        expected.put("computed", null);
        expected.put("none", null);
        Map<String, String> actual = new LinkedHashMap<>();
        defs.columns().forEach(c -> actual.put(c.name(), c.defaultValue()));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void readSchemaReportsKeysForeignKeysAndSkipsFerryTables() throws SQLException {
        exec(conn,
                "CREATE TABLE " + q("parent") + " (" + q("b") + " " + exactTextKey("VARCHAR(20)") + " NOT NULL, " + q("a") + " INTEGER NOT NULL, "
                        + q("name") + " VARCHAR(50), PRIMARY KEY (" + q("b") + ", " + q("a") + "))",
                "CREATE TABLE " + q("child") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("cb") + " " + exactTextKey("VARCHAR(20)") + ", "
                        + q("ca") + " INTEGER, CONSTRAINT " + q("fk_child_parent") + " FOREIGN KEY (" + q("cb") + ", " + q("ca")
                        + ") REFERENCES " + q("parent") + " (" + q("b") + ", " + q("a") + "))",
                "CREATE TABLE " + q("ferry_internal") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY)",
                "CREATE TABLE " + q("FERRY_UPPER") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY)",
                "CREATE TABLE " + q("flyway_history") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY)",
                "CREATE TABLE " + q("nokey") + " (" + q("x") + " INTEGER)",
                "CREATE TABLE " + q("we\"ird`name") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY)");

        List<TableDef> all = dialect.readSchema(conn, null);
        assertThat(all).extracting(TableDef::name).containsExactlyInAnyOrder("child", "parent", "we\"ird`name");

        TableDef parent = all.stream().filter(t -> t.name().equals("parent")).findFirst().orElseThrow();
        assertThat(parent.columns()).containsExactly(
                new ColumnDef("b", FerryType.TEXT, false, 20, null, null),
                ColumnDef.of("a", FerryType.INTEGER, false),
                new ColumnDef("name", FerryType.TEXT, true, 50, null, null));
        assertThat(parent.primaryKey()).as("key-sequence order, not column order").containsExactly("b", "a");
        assertThat(parent.foreignKeys()).isEmpty();

        TableDef child = all.stream().filter(t -> t.name().equals("child")).findFirst().orElseThrow();
        assertThat(child.foreignKeys()).containsExactly(
                new ForeignKeyDef("fk_child_parent", List.of("cb", "ca"), "parent", List.of("b", "a")));

        // Foreign keys only between returned tables; order of the request kept.
        List<TableDef> named = dialect.readSchema(conn, List.of("child"));
        assertThat(named).extracting(TableDef::name).containsExactly("child");
        assertThat(named.get(0).foreignKeys()).isEmpty();
        assertThat(dialect.readSchema(conn, List.of("parent", "child"))).extracting(TableDef::name).containsExactly("parent", "child");

        assertThatThrownBy(() -> dialect.readSchema(conn, List.of("nokey")))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_UNSUPPORTED_TYPE);
                    assertThat(e.getMessage()).isEqualTo("table nokey has no primary key");
                });
        assertThatThrownBy(() -> dialect.readSchema(conn, List.of("parent", "missing")))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND));
        assertThatThrownBy(() -> dialect.readSchema(conn, List.of("ferry_internal")))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TABLE_NOT_FOUND));
    }

    /** Issue 10, defect 6: on a case-insensitive key a rename abc -> ABC on a remote deleted the row everywhere. */
    @Test
    void aKeyWhoseCollationIgnoresCaseIsRefusedNamingTableColumnAndCollationAndTheHintFixesIt() throws SQLException {
        String[] folding = caseInsensitiveTextType(conn);
        exec(conn, "CREATE TABLE " + q("tag") + " (" + q("code") + " " + folding[0] + " NOT NULL PRIMARY KEY, "
                + q("label") + " " + folding[0] + ")");
        FerryException refused = catchThrowableOfType(() -> dialect.readSchema(conn, List.of("tag")), FerryException.class);
        assertThat(refused).as("a key comparing case-insensitively is refused").isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.SCHEMA_KEY_COLLATION);
        assertThat(refused.getMessage()).contains("table tag key column code has collation " + folding[1]);
        assertThatThrownBy(() -> dialect.readSchema(conn, null)).as("listing all tables refuses it too")
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_KEY_COLLATION));

        // The hint's statement, run as it stands, makes the table acceptable.
        String hint = refused.hint();
        String statement = hint.substring(hint.indexOf(": ") + 2).split(" \\(|, or leave ")[0];
        exec(conn, statement);
        TableDef fixed = table("tag");
        assertThat(fixed.column("code").type()).isEqualTo(FerryType.TEXT);
        assertThat(fixed.column("label").type()).as("a non-key column may fold case: Ferry compares its values exactly")
                .isEqualTo(FerryType.TEXT);
    }

    /**
     * Issue 10, defect 6: char(n) pads, and a remote holding 'ab' met 'ab   ' from the server as another
     * row. Values are read without the padding wherever Ferry reads them (rows, shadow keys), and a
     * shadow key bound without padding still finds its row (the stamper updates shadow rows by key).
     */
    @Test
    void charValuesAreReadWithoutTheirPaddingAndStillMatchTheirRow() throws SQLException {
        exec(conn, "CREATE TABLE " + q("pads") + " (" + q("k") + " " + exactTextKey("CHAR(5)") + " NOT NULL PRIMARY KEY, "
                + q("v") + " CHAR(5), " + q("n") + " VARCHAR(10))");
        TableDef pads = table("pads");
        assertThat(pads.column("k").padded()).isTrue();
        assertThat(pads.column("v").padded()).isTrue();
        assertThat(pads.column("n").padded()).as("varchar keeps trailing spaces as data").isFalse();
        dialect.installTracking(conn, pads, "ferry_chg_3", "ferry_trg_3");
        exec(open(), "INSERT INTO " + q("pads") + " VALUES ('ab', 'cd', 'ef  ')");

        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT " + q("k") + ", " + q("v") + ", " + q("n")
                + " FROM " + q("pads"))) {
            assertThat(rs.next()).isTrue();
            assertThat(dialect.read(rs, 1, pads.column("k"))).isEqualTo("ab");
            assertThat(dialect.read(rs, 2, pads.column("v"))).isEqualTo("cd");
            assertThat(dialect.read(rs, 3, pads.column("n"))).isEqualTo("ef  ");
        }
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT " + q("k") + " FROM " + q("ferry_chg_3"))) {
            assertThat(rs.next()).isTrue();
            assertThat(dialect.read(rs, 1, pads.column("k"))).as("shadow key").isEqualTo("ab");
        }
        try (PreparedStatement ps = conn.prepareStatement("UPDATE " + q("ferry_chg_3") + " SET " + q("ferry_position") + " = 1 WHERE "
                + q("k") + " = " + dialect.placeholder(pads.column("k")))) {
            dialect.bind(ps, 1, pads.column("k"), "ab");
            assertThat(ps.executeUpdate()).as("the shadow row is found by its key without padding").isEqualTo(1);
        }
    }

    @Test
    void keyColumnsMustBeUsableInKeys() throws SQLException {
        exec(conn, "CREATE TABLE " + q("realkey") + " (" + q("r") + " REAL NOT NULL PRIMARY KEY)");
        assertThatThrownBy(() -> dialect.readSchema(conn, List.of("realkey")))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_UNSUPPORTED_TYPE);
                    assertThat(e.getMessage()).contains("realkey").contains("key column r");
                });
    }

    @Test
    void quoteValidatesIdentifiers() {
        assertThatThrownBy(() -> dialect.quote("")).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThatThrownBy(() -> dialect.quote(null)).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThatThrownBy(() -> dialect.quote("a\0b")).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThatThrownBy(() -> dialect.quote("x".repeat(257))).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.getMessage()).contains("x".repeat(257)));
    }

    /**
     * Issue 10, defect 11: schema reading must know which columns the database fills itself, because an
     * upload that writes them fails. {@code twice} is computed; {@code id} is GENERATED ALWAYS identity
     * where the database has it; {@code n} numbers rows but takes explicit values (BY DEFAULT identity,
     * AUTO_INCREMENT).
     */
    @Test
    void columnsTheDatabaseFillsItselfAreReadAsSuch() throws SQLException {
        exec(conn, "CREATE TABLE " + q("gen") + " (" + q("id") + " " + (identityAlwaysType() == null ? "INTEGER" : identityAlwaysType())
                + " NOT NULL PRIMARY KEY, " + q("qty") + " INTEGER, " + q("twice") + " " + computedType(q("qty") + " * 2") + ", "
                + q("n") + " " + numberingByDefaultType() + ")");
        TableDef gen = table("gen");
        assertThat(gen.column("id").generation()).isEqualTo(identityAlwaysType() == null ? ColumnGeneration.NONE : ColumnGeneration.IDENTITY_ALWAYS);
        assertThat(gen.column("qty").generation()).isEqualTo(ColumnGeneration.NONE);
        assertThat(gen.column("twice").generation()).isEqualTo(ColumnGeneration.COMPUTED);
        assertThat(gen.column("n").generation()).isEqualTo(ColumnGeneration.NONE);
        assertThat(gen.writableColumns()).extracting(ColumnDef::name).containsExactly("id", "qty", "n");
        assertThat(gen.updatableColumns()).extracting(ColumnDef::name).containsExactly("qty", "n");
    }

    @Test
    void aValueWrittenIntoAComputedColumnIsARowFailure() throws SQLException {
        exec(conn, "CREATE TABLE " + q("gen") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("qty") + " INTEGER, "
                + q("twice") + " " + computedType(q("qty") + " * 2") + ")");
        SQLException e = failure(() -> exec(conn, "INSERT INTO " + q("gen") + " (" + q("id") + ", " + q("qty") + ", " + q("twice")
                + ") VALUES (1, 2, 5)"));
        assertThat(dialect.classify(e).kind()).as("%s (SQLState %s, code %d)", e.getMessage(), e.getSQLState(), e.getErrorCode())
                .isEqualTo(SqlFailure.Kind.ROW);
    }

    @Test
    void anIdentityAlwaysKeyIsWrittenWithTheOverridingClauseAndIsARowFailureWithout() throws SQLException {
        if (identityAlwaysType() == null) {
            assertThat(dialect.name()).as("only MariaDB lacks GENERATED ALWAYS identity").isEqualTo("mariadb");
            return;
        }
        exec(conn, "CREATE TABLE " + q("gen") + " (" + q("id") + " " + identityAlwaysType() + " NOT NULL PRIMARY KEY, " + q("qty") + " INTEGER)");
        String columns = " (" + q("id") + ", " + q("qty") + ") ";
        SQLException e = failure(() -> exec(conn, "INSERT INTO " + q("gen") + columns + "VALUES (42, 1)"));
        assertThat(dialect.classify(e).kind()).as("%s (SQLState %s)", e.getMessage(), e.getSQLState()).isEqualTo(SqlFailure.Kind.ROW);
        exec(conn, "INSERT INTO " + q("gen") + columns + dialect.overridingSystemValue() + " VALUES (42, 1)");
        assertThat(count(conn, "SELECT COUNT(*) FROM " + q("gen") + " WHERE " + q("id") + " = 42")).isEqualTo(1);
    }

    @Test
    void aComputedKeyIsRefusedNamingTableAndColumn() throws SQLException {
        if (!computedKeysAllowed()) {
            return;
        }
        exec(conn, "CREATE TABLE " + q("gen") + " (" + q("qty") + " INTEGER, " + q("k") + " " + computedType(q("qty") + " * 2")
                + " NOT NULL PRIMARY KEY)");
        assertThatThrownBy(() -> dialect.readSchema(conn, List.of("gen")))
                .isInstanceOfSatisfying(FerryException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.SCHEMA_UNSUPPORTED_TYPE))
                .hasMessageContaining("gen").hasMessageContaining("k");
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private static SQLException failure(SqlWork work) {
        try {
            work.run();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("the statement did not fail");
    }

    // ---------------------------------------------------------------------------------------------
    // 3. tracking

    private void createItems() throws SQLException {
        exec(conn, "CREATE TABLE " + q("items") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("name") + " VARCHAR(40))");
    }

    /** The shadow table as "key:op:position" strings, ordered by key. */
    /**
     * Writes row 1 of {@code t} with {@code written} (a value per column after the key, in table order) and
     * row 2 with NULLs through the dialect's placeholders and binding, and reads both back: row 1 as
     * {@code read}, row 2 as NULLs.
     */
    protected void assertWrittenAndReadBack(TableDef t, Object[] written, Object[] read) throws SQLException {
        String insert = "INSERT INTO " + q(t.name()) + " VALUES (" + String.join(", ", t.columns().stream().map(dialect::placeholder).toList()) + ")";
        for (long row = 1; row <= 2; row++) {
            try (PreparedStatement ps = conn.prepareStatement(insert)) {
                dialect.bind(ps, 1, t.columns().get(0), row);
                for (int i = 0; i < written.length; i++) {
                    dialect.bind(ps, i + 2, t.columns().get(i + 1), row == 1 ? written[i] : null);
                }
                ps.executeUpdate();
            }
        }
        String columns = String.join(", ", t.columns().stream().map(c -> q(c.name())).toList());
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT " + columns + " FROM " + q(t.name()) + " ORDER BY 1")) {
            rs.next();
            for (int i = 0; i < read.length; i++) {
                assertThat(dialect.read(rs, i + 2, t.columns().get(i + 1))).as(t.columns().get(i + 1).name()).isEqualTo(read[i]);
            }
            rs.next();
            for (int i = 0; i < read.length; i++) {
                assertThat(dialect.read(rs, i + 2, t.columns().get(i + 1))).as(t.columns().get(i + 1).name() + " NULL").isNull();
            }
        }
    }

    /** Writing {@code value} into {@code column} of row 1 fails, and the failure is that row's alone ({@link SqlFailure.Kind#ROW}). */
    protected void assertRefusedForItsRow(TableDef t, String column, Object value) {
        ColumnDef col = t.column(column);
        SQLException refused = catchThrowableOfType(() -> {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE " + q(t.name()) + " SET " + q(column) + " = " + dialect.placeholder(col)
                    + " WHERE " + q(t.columns().get(0).name()) + " = 1")) {
                dialect.bind(ps, 1, col, value);
                ps.executeUpdate();
            }
        }, SQLException.class);
        assertThat((Throwable) refused).as(column + " = " + value).isNotNull();
        assertThat(dialect.classify(refused).kind()).as(column + ": " + refused.getMessage()).isEqualTo(SqlFailure.Kind.ROW);
    }

    protected List<String> shadow(Connection c, String shadow, TableDef t) throws SQLException {
        List<String> keys = t.primaryKey().stream().map(this::q).toList();
        String sql = "SELECT " + String.join(", ", keys) + ", " + q("ferry_op") + ", " + q("ferry_position") + " FROM " + q(shadow)
                + " ORDER BY " + String.join(", ", keys);
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                List<String> parts = new ArrayList<>();
                for (int i = 1; i <= keys.size() + 2; i++) {
                    parts.add(String.valueOf(rs.getObject(i)));
                }
                out.add(String.join(":", parts));
            }
        }
        return out;
    }

    @Test
    void triggersCaptureEveryChangeFromAnyConnection() throws SQLException {
        createItems();
        TableDef items = table("items");
        dialect.installTracking(conn, items, "ferry_chg_1", "ferry_trg_1");
        Connection other = open();

        exec(other, "INSERT INTO " + q("items") + " VALUES (1, 'a')", "INSERT INTO " + q("items") + " VALUES (2, 'b')");
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactly("1:I:null", "2:I:null");

        exec(conn, "UPDATE " + q("ferry_chg_1") + " SET " + q("ferry_position") + " = 7");
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactly("1:I:7", "2:I:7");

        exec(other, "UPDATE " + q("items") + " SET " + q("name") + " = 'a2' WHERE " + q("id") + " = 1");
        assertThat(shadow(conn, "ferry_chg_1", items)).as("an update resets the stamp").containsExactly("1:U:null", "2:I:7");

        exec(other, "UPDATE " + q("items") + " SET " + q("id") + " = 3 WHERE " + q("id") + " = 2");
        assertThat(shadow(conn, "ferry_chg_1", items)).as("a key change is a delete plus an insert")
                .containsExactly("1:U:null", "2:D:null", "3:I:null");

        exec(other, "DELETE FROM " + q("items") + " WHERE " + q("id") + " = 1");
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactly("1:D:null", "2:D:null", "3:I:null");

        exec(conn, "UPDATE " + q("ferry_chg_1") + " SET " + q("ferry_position") + " = 8");
        exec(other, "INSERT INTO " + q("items") + " VALUES (1, 'again')");
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactly("1:I:null", "2:D:8", "3:I:8");

        // A rolled-back change leaves no trace.
        other.setAutoCommit(false);
        exec(other, "INSERT INTO " + q("items") + " VALUES (9, 'gone')", "DELETE FROM " + q("items") + " WHERE " + q("id") + " = 3");
        other.rollback();
        other.setAutoCommit(true);
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactly("1:I:null", "2:D:8", "3:I:8");

        // An update that changes nothing.
        exec(other, "UPDATE " + q("items") + " SET " + q("name") + " = " + q("name") + " WHERE " + q("id") + " = 3");
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactly("1:I:null", "2:D:8",
                recordsNoOpUpdates() ? "3:U:null" : "3:I:8");
    }

    @Test
    void compositeAndTypedKeysAreCapturedWithTheirExactValues() throws SQLException {
        TypeCase dec = roundTrip("c_decimal");
        TypeCase text = roundTrip("c_varchar");
        TypeCase ts = roundTrip("c_timestamp");
        TypeCase uuid = roundTrip("c_uuid");
        TypeCase date = roundTrip("c_date");
        exec(conn, "CREATE TABLE " + q("typed") + " (" + q("k_dec") + " " + dec.nativeType() + " NOT NULL, "
                + q("k_text") + " " + exactTextKey(text.nativeType()) + " NOT NULL, " + q("k_ts") + " " + ts.nativeType() + " NOT NULL, "
                + q("k_uuid") + " " + uuid.nativeType() + " NOT NULL, " + q("k_date") + " " + date.nativeType() + " NOT NULL, "
                + q("v") + " INTEGER, PRIMARY KEY (" + q("k_text") + ", " + q("k_dec") + ", " + q("k_ts") + ", " + q("k_uuid") + ", " + q("k_date") + "))");
        TableDef typed = table("typed");
        dialect.installTracking(conn, typed, "ferry_chg_2", "ferry_trg_2");

        Object[] row = {new BigDecimal("19.99"), "héllo ✓ 😀 漢字", LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), LocalDate.of(2024, 2, 29), 1L};
        Connection other = open();
        try (PreparedStatement ps = other.prepareStatement("INSERT INTO " + q("typed") + " VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < row.length; i++) {
                dialect.bind(ps, i + 1, typed.columns().get(i), row[i]);
            }
            ps.executeUpdate();
        }
        exec(other, "UPDATE " + q("typed") + " SET " + q("k_dec") + " = 20.01");

        List<ColumnDef> keys = typed.keyColumns();
        String cols = String.join(", ", keys.stream().map(k -> q(k.name())).toList());
        List<List<Object>> got = new ArrayList<>();
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + cols + ", " + q("ferry_op") + " FROM " + q("ferry_chg_2") + " ORDER BY " + q("k_dec"))) {
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int i = 0; i < keys.size(); i++) {
                    r.add(dialect.read(rs, i + 1, keys.get(i)));
                }
                r.add(rs.getString(keys.size() + 1));
                got.add(r);
            }
        }
        assertThat(got).hasSize(2);
        Object[][] want = {
                {row[1], new BigDecimal("19.99"), row[2], row[3], row[4], "D"},
                {row[1], new BigDecimal("20.01"), row[2], row[3], row[4], "I"}};
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < keys.size(); i++) {
                assertThat(Values.equal(keys.get(i).type(), want[r][i], got.get(r).get(i)))
                        .as("shadow row %d key %s: %s", r, keys.get(i).name(), got.get(r).get(i)).isTrue();
            }
            assertThat(got.get(r).get(keys.size())).isEqualTo(want[r][keys.size()]);
        }
    }

    @Test
    void installingTwiceReplacesAndRemoveStopsCapture() throws SQLException {
        createItems();
        TableDef items = table("items");
        dialect.installTracking(conn, items, "ferry_chg_1", "ferry_trg_1");
        int installed = trackingObjects(conn, "items", "ferry_trg_1");
        assertThat(installed).isPositive();
        exec(conn, "INSERT INTO " + q("items") + " VALUES (1, 'a')");
        exec(conn, "UPDATE " + q("ferry_chg_1") + " SET " + q("ferry_position") + " = 5");

        dialect.installTracking(conn, items, "ferry_chg_1", "ferry_trg_1");
        assertThat(trackingObjects(conn, "items", "ferry_trg_1")).as("no duplicate triggers").isEqualTo(installed);
        assertThat(shadow(conn, "ferry_chg_1", items)).as("the shadow table and its stamps survive").containsExactly("1:I:5");
        exec(open(), "INSERT INTO " + q("items") + " VALUES (2, 'b')");
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactly("1:I:5", "2:I:null");

        dialect.removeTracking(conn, items, "ferry_chg_1", "ferry_trg_1");
        assertThat(trackingObjects(conn, "items", "ferry_trg_1")).isZero();
        exec(open(), "INSERT INTO " + q("items") + " VALUES (3, 'c')", "DELETE FROM " + q("items") + " WHERE " + q("id") + " = 1");
        assertThat(shadow(conn, "ferry_chg_1", items)).as("the shadow table stays, capture stops").containsExactly("1:I:5", "2:I:null");
        dialect.removeTracking(conn, items, "ferry_chg_1", "ferry_trg_1");
    }

    // ---------------------------------------------------------------------------------------------
    // 4. classify

    private void createConstrained() throws SQLException {
        exec(conn,
                "CREATE TABLE " + q("p") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY)",
                "CREATE TABLE " + q("r") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("s") + " SMALLINT, "
                        + q("v") + " VARCHAR(3), " + q("d") + " DATE, " + q("n") + " INTEGER NOT NULL DEFAULT 0, "
                        + q("pid") + " INTEGER, CHECK (" + q("s") + " >= -100), "
                        + "FOREIGN KEY (" + q("pid") + ") REFERENCES " + q("p") + " (" + q("id") + "))",
                "INSERT INTO " + q("p") + " VALUES (1)",
                "INSERT INTO " + q("r") + " (" + q("id") + ", " + q("pid") + ") VALUES (1, 1)");
    }

    private SqlFailure failureOf(String sql) {
        try {
            exec(conn, sql);
        } catch (SQLException e) {
            return dialect.classify(e);
        }
        throw new AssertionError("expected a failure from " + sql);
    }

    @Test
    void rowErrorsAreClassifiedByCode() throws SQLException {
        createConstrained();
        String r = "INSERT INTO " + q("r") + " (" + q("id") + ", ";
        assertThat(failureOf(r + q("s") + ") VALUES (1, 1)")).isEqualTo(SqlFailure.row(ErrorCode.ROW_DUPLICATE_KEY));
        assertThat(failureOf(r + q("pid") + ") VALUES (2, 99)")).isEqualTo(SqlFailure.row(ErrorCode.ROW_FOREIGN_KEY_VIOLATION));
        assertThat(failureOf("DELETE FROM " + q("p"))).isEqualTo(SqlFailure.row(ErrorCode.ROW_FOREIGN_KEY_VIOLATION));
        assertThat(failureOf(r + q("s") + ") VALUES (3, 40000)")).isEqualTo(SqlFailure.row(ErrorCode.ROW_VALUE_OUT_OF_RANGE));
        assertThat(failureOf(r + q("v") + ") VALUES (4, 'abcd')")).isEqualTo(SqlFailure.row(ErrorCode.ROW_VALUE_OUT_OF_RANGE));
        assertThat(failureOf(r + q("d") + ") VALUES (5, 'not a date')")).isEqualTo(SqlFailure.row(ErrorCode.ROW_INVALID_VALUE));
        assertThat(failureOf(r + q("s") + ") VALUES (6, -101)")).isEqualTo(SqlFailure.row(ErrorCode.ROW_CONSTRAINT_VIOLATION));
        assertThat(failureOf("SELEKT 1")).isEqualTo(SqlFailure.fatal());

        // NOT NULL through a bound NULL, as the server applies uploads.
        TableDef def = table("r");
        try (PreparedStatement ps = conn.prepareStatement(r + q("n") + ") VALUES (?, ?)")) {
            dialect.bind(ps, 1, def.column("id"), 7L);
            dialect.bind(ps, 2, def.column("n"), null);
            ps.executeUpdate();
            fail("NULL was accepted in a NOT NULL column");
        } catch (SQLException e) {
            assertThat(dialect.classify(e)).isEqualTo(SqlFailure.row(ErrorCode.ROW_NOT_NULL_VIOLATION));
        }
    }

    @Test
    void batchFailuresAreClassifiedByTheirCause() throws SQLException {
        createConstrained();
        conn.setAutoCommit(false);
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + q("r") + " (" + q("id") + ") VALUES (?)")) {
            for (long id : new long[] {10, 11, 1, 12}) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
            fail("the duplicate key was accepted");
        } catch (BatchUpdateException e) {
            assertThat(dialect.classify(e)).isEqualTo(SqlFailure.row(ErrorCode.ROW_DUPLICATE_KEY));
        } finally {
            conn.rollback();
            conn.setAutoCommit(true);
        }
    }

    @Test
    void lostConnectionStatesAreUnavailable() {
        assertThat(dialect.classify(new SQLException("connection reset", "08006"))).isEqualTo(SqlFailure.unavailable());
        SQLException wrapped = new SQLException("outer", "HY000", new SQLException("inner", "08S01"));
        assertThat(dialect.classify(wrapped)).isEqualTo(SqlFailure.unavailable());
        assertThat(dialect.classify(new SQLException("no state"))).isEqualTo(SqlFailure.fatal());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken lock setting would block forever
    void aRealDeadlockIsRetried() throws Exception {
        exec(conn, "CREATE TABLE " + q("lockme") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("v") + " INTEGER)",
                "INSERT INTO " + q("lockme") + " VALUES (1, 0)", "INSERT INTO " + q("lockme") + " VALUES (2, 0)");
        Connection a = open();
        Connection b = open();
        for (Connection c : List.of(a, b)) {
            c.setAutoCommit(false);
            dialect.lockWaitLimit(c, Duration.ofSeconds(20)).apply();
        }
        String update = "UPDATE " + q("lockme") + " SET " + q("v") + " = " + q("v") + " + 1 WHERE " + q("id") + " = ";
        exec(a, update + 1);
        exec(b, update + 2);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<SQLException> fa = pool.submit(() -> crossUpdate(a, update + 2, start));
            Future<SQLException> fb = pool.submit(() -> crossUpdate(b, update + 1, start));
            List<SQLException> failures = new ArrayList<>();
            for (Future<SQLException> f : List.of(fa, fb)) {
                SQLException e = f.get(60, TimeUnit.SECONDS);
                if (e != null) {
                    failures.add(e);
                }
            }
            assertThat(failures).as("one transaction is chosen as the deadlock victim").isNotEmpty();
            for (SQLException e : failures) {
                assertThat(dialect.classify(e)).as("%s (SQLState %s, code %d)", e.getMessage(), e.getSQLState(), e.getErrorCode())
                        .isEqualTo(SqlFailure.retry());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static SQLException crossUpdate(Connection c, String sql, CyclicBarrier start) throws Exception {
        start.await(10, TimeUnit.SECONDS);
        try {
            exec(c, sql);
            c.commit();
            return null;
        } catch (SQLException e) {
            c.rollback(); // releases the victim's locks (PostgreSQL keeps them until rollback)
            return e;
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken lock setting would block forever
    void lockTimeoutIsAppliedAndRetried() throws SQLException {
        createItems();
        exec(conn, "INSERT INTO " + q("items") + " VALUES (1, 'a')");
        Connection holder = open();
        holder.setAutoCommit(false);
        exec(holder, "UPDATE " + q("items") + " SET " + q("name") + " = 'held' WHERE " + q("id") + " = 1");
        Connection waiter = open();
        waiter.setAutoCommit(false);
        dialect.lockWaitLimit(waiter, Duration.ofMillis(1500)).apply();
        long t0 = System.nanoTime();
        try {
            exec(waiter, "UPDATE " + q("items") + " SET " + q("name") + " = 'mine' WHERE " + q("id") + " = 1");
            fail("the row lock was not waited for");
        } catch (SQLException e) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("gave up after the configured timeout").isBetween(500L, 8000L);
            assertThat(dialect.classify(e)).isEqualTo(SqlFailure.retry());
        } finally {
            waiter.rollback();
            holder.rollback();
        }
    }

    /**
     * Issue 10, defect 8: the upload's lock-wait limit stayed on the pooled connection for its next user.
     * Whatever the limit did during the transaction, the session's own setting is back once it is closed.
     */
    @Test
    void lockWaitLimitLeavesTheSessionsOwnSettingBehind() throws SQLException {
        Connection c = open();
        String before = single(c, sessionLockTimeoutSql());
        c.setAutoCommit(false);
        try (LockWaitLimit limit = dialect.lockWaitLimit(c, Duration.ofSeconds(7))) {
            limit.apply();
            assertThat(single(c, sessionLockTimeoutSql())).as("the limit is in force in the transaction").isNotEqualTo(before);
            c.commit();
            limit.apply();
            c.rollback();
        }
        c.setAutoCommit(true);
        assertThat(single(c, sessionLockTimeoutSql())).as("the session's own lock timeout after the limit was closed").isEqualTo(before);
    }

    @Test
    void lockWaitLimitRefusesAConnectionOutsideATransaction() throws SQLException {
        Connection c = open();
        try (LockWaitLimit limit = dialect.lockWaitLimit(c, Duration.ofSeconds(7))) {
            assertThatThrownBy(limit::apply).isInstanceOf(IllegalStateException.class);
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 5. SKIP LOCKED

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken lock setting would block forever
    void stampingSkipsRowsHeldByOpenTransactions() throws SQLException {
        createItems();
        TableDef items = table("items");
        dialect.installTracking(conn, items, "ferry_chg_1", "ferry_trg_1");
        exec(conn, "INSERT INTO " + q("items") + " VALUES (1, 'a')", "INSERT INTO " + q("items") + " VALUES (2, 'b')",
                "INSERT INTO " + q("items") + " VALUES (3, 'c')");

        Connection writer = open();
        writer.setAutoCommit(false);
        exec(writer, "UPDATE " + q("items") + " SET " + q("name") + " = 'b2' WHERE " + q("id") + " = 2",
                "INSERT INTO " + q("items") + " VALUES (4, 'd')");

        Connection stamper = open();
        stamper.setAutoCommit(false);
        dialect.lockWaitLimit(stamper, Duration.ofSeconds(5)).apply();
        String select = "SELECT " + q("id") + " FROM " + q("ferry_chg_1") + " WHERE " + q("ferry_position") + " IS NULL ORDER BY "
                + q("id") + dialect.skipLockedClause();
        long t0 = System.nanoTime();
        assertThat(ids(stamper, select)).containsExactly(1L, 3L);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("skipped, not waited for").isLessThan(3000L);
        stamper.commit();

        writer.commit();
        assertThat(ids(stamper, select)).containsExactly(1L, 2L, 3L, 4L);
        stamper.commit();
    }

    private static List<Long> ids(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // key ranges (docs/SCHEMAS.md, "Keys created offline")

    /** A primary key column the database numbers itself and that takes explicit values too. */
    protected abstract String numberedKeyType();

    private void migrateSystemTables() {
        Path dir = Path.of("").toAbsolutePath().getParent().resolve("ferry-server/src/main/resources/db/migration").resolve(dialect.name());
        Flyway.configure().dataSource(url(db), null, null).locations("filesystem:" + dir).load().migrate();
    }

    /** Inserts a row whose key the table's generator gives, and returns that key. */
    private long insertNumbered(Connection c, String table, int v) throws SQLException {
        exec(c, "INSERT INTO " + q(table) + " (" + q("v") + ") VALUES (" + v + ")");
        return count(c, "SELECT MAX(" + q("id") + ") FROM " + q(table) + " WHERE " + q("v") + " = " + v);
    }

    private static boolean inside(long key, ReservedKeys r) {
        return key >= r.first() && key <= r.last();
    }

    @Test
    void reservedKeysAreNeverIssuedByTheTablesOwnGeneratorNorReservedTwice() throws SQLException {
        migrateSystemTables();
        exec(conn, "CREATE TABLE " + q("numbered") + " (" + q("id") + " " + numberedKeyType() + ", " + q("v") + " INTEGER)");
        long before = insertNumbered(conn, "numbered", 1);
        TableDef t = table("numbered");
        ReservedKeys a = dialect.reserveKeys(conn, t, 100, Duration.ofSeconds(10));
        assertThat(a.last() - a.first()).isEqualTo(99);
        assertThat(a.first()).isGreaterThan(before);
        assertThat(conn.getAutoCommit()).as("the connection is returned as it was lent").isTrue();
        // A remote's rows with keys of the block, as its upload writes them: the generator never draws a key of the block.
        exec(conn, "INSERT INTO " + q("numbered") + " (" + q("id") + ", " + q("v") + ") VALUES (" + a.first() + ", 2), (" + a.last() + ", 2)");
        long server = insertNumbered(conn, "numbered", 3);
        assertThat(inside(server, a)).as("server key %d in %s", server, a).isFalse();
        ReservedKeys b = dialect.reserveKeys(conn, t, 10, Duration.ofSeconds(10));
        assertThat(b.first() > a.last() || b.last() < a.first()).as("%s and %s", a, b).isTrue();
        assertThat(inside(server, b)).isFalse();
        long again = insertNumbered(conn, "numbered", 4);
        assertThat(inside(again, a) || inside(again, b)).as("server key %d", again).isFalse();
    }

    @Test
    @Timeout(120)
    void concurrentReservationsAndServerInsertsNeverShareAKey() throws Exception {
        migrateSystemTables();
        exec(conn, "CREATE TABLE " + q("busy") + " (" + q("id") + " " + numberedKeyType() + ", " + q("v") + " INTEGER)");
        TableDef t = table("busy");
        int reservers = 3;
        ExecutorService pool = Executors.newFixedThreadPool(reservers + 1);
        CyclicBarrier start = new CyclicBarrier(reservers + 1);
        try {
            List<Future<List<ReservedKeys>>> blocks = new ArrayList<>();
            for (int i = 0; i < reservers; i++) {
                Connection c = open();
                blocks.add(pool.submit(() -> {
                    start.await();
                    List<ReservedKeys> got = new ArrayList<>();
                    for (int n = 0; n < 8; n++) {
                        got.add(dialect.reserveKeys(c, t, 25, Duration.ofSeconds(10)));
                    }
                    return got;
                }));
            }
            Connection writer = open();
            Future<?> inserts = pool.submit(() -> {
                start.await();
                for (int n = 0; n < 150; n++) {
                    exec(writer, "INSERT INTO " + q("busy") + " (" + q("v") + ") VALUES (" + n + ")");
                }
                return null;
            });
            inserts.get();
            List<ReservedKeys> all = new ArrayList<>();
            for (Future<List<ReservedKeys>> f : blocks) {
                all.addAll(f.get());
            }
            all.sort((x, y) -> Long.compare(x.first(), y.first()));
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).first()).as("blocks %s and %s", all.get(i - 1), all.get(i)).isGreaterThan(all.get(i - 1).last());
            }
            List<Long> serverKeys = new ArrayList<>();
            try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT " + q("id") + " FROM " + q("busy"))) {
                while (rs.next()) {
                    serverKeys.add(rs.getLong(1));
                }
            }
            assertThat(serverKeys).hasSize(150);
            for (long k : serverKeys) {
                assertThat(all).as("server key " + k).noneMatch(r -> k >= r.first() && k <= r.last());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyWithoutAGeneratorOrOfAnotherTypeCannotTakeKeyRanges() throws SQLException {
        migrateSystemTables();
        exec(conn, "CREATE TABLE " + q("plain") + " (" + q("id") + " BIGINT PRIMARY KEY, " + q("v") + " INTEGER)",
                "CREATE TABLE " + q("pair") + " (" + q("a") + " INTEGER NOT NULL, " + q("b") + " INTEGER NOT NULL, PRIMARY KEY (" + q("a") + ", " + q("b") + "))");
        for (String name : List.of("plain", "pair")) {
            TableDef t = table(name);
            FerryException e = catchThrowableOfType(() -> dialect.reserveKeys(conn, t, 10, Duration.ofSeconds(10)), FerryException.class);
            assertThat(e).as(name).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.KEY_RANGE_UNAVAILABLE);
            assertThat(e.getMessage()).contains("table " + name);
            assertThat(e.hint()).isNotBlank();
        }
        assertThat(conn.getAutoCommit()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------
    // clock

    @Test
    void currentTimeIsTheDatabaseWallClock() throws Exception {
        Instant before = Instant.now();
        Instant t = dialect.currentTime(conn);
        assertThat(Duration.between(before, t).abs()).isLessThan(Duration.ofSeconds(5));

        conn.setAutoCommit(false);
        try {
            Instant first = dialect.currentTime(conn);
            Thread.sleep(30);
            Instant second = dialect.currentTime(conn);
            assertThat(Duration.between(first, second)).as("the wall clock, not the transaction start")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(25));
            assertThat(second.getNano() % 1000).as("microseconds").isZero();
        } finally {
            conn.rollback();
            conn.setAutoCommit(true);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 6. Flyway system tables

    private static final Map<String, List<String>> SYSTEM_TABLES = new LinkedHashMap<>();

    static {
        SYSTEM_TABLES.put("ferry_database", List.of("id", "created_at"));
        SYSTEM_TABLES.put("ferry_clock", List.of("id", "position"));
        SYSTEM_TABLES.put("ferry_table", List.of("table_id", "table_name", "shadow_name", "provisioned_at"));
        SYSTEM_TABLES.put("ferry_user", List.of("user_name", "password_hash", "salt", "iterations", "created_at", "disabled_at"));
        SYSTEM_TABLES.put("ferry_remote", List.of("remote_id", "user_name", "progress", "last_upload_at", "last_download_position",
                "last_download_at", "created_at", "updated_at", "incarnation", "reinitialized_at", "reinitialized_by", "last_upload_id",
                "download_high_water"));
        SYSTEM_TABLES.put("ferry_remote_grant", List.of("remote_id", "user_name", "granted_at"));
        SYSTEM_TABLES.put("ferry_remote_retired", List.of("remote_id", "incarnation", "retired_at", "retired_by"));
        SYSTEM_TABLES.put("ferry_remote_credential", List.of("credential_id", "remote_id", "user_name", "secret_hash", "created_at", "revoked_at"));
        SYSTEM_TABLES.put("ferry_login_failure", List.of("scope", "subject", "failures", "window_start", "blocks", "blocked_until"));
        SYSTEM_TABLES.put("ferry_upload_error", List.of("remote_id", "upload_number", "seq", "table_name", "pk", "code", "message"));
        SYSTEM_TABLES.put("ferry_key_range", List.of("table_name", "range_first", "range_last", "remote_id", "handed_at"));
        SYSTEM_TABLES.put("ferry_key_claim", List.of("table_name", "next_first"));
        SYSTEM_TABLES.put("ferry_sync_log", List.of("id", "remote_id", "user_name", "started_at", "finished_at", "mode", "outcome",
                "upload_number", "rows_uploaded", "rows_rejected", "rows_downloaded", "retries", "error_code", "message"));
    }

    @Test
    void flywayCreatesTheDocumentedSystemTables() throws SQLException {
        assertThat(dialect.migrationLocation()).isEqualTo("classpath:db/migration/" + dialect.name());
        Path dir = Path.of("").toAbsolutePath().getParent()
                .resolve("ferry-server/src/main/resources/db/migration").resolve(dialect.name());
        assertThat(Files.isDirectory(dir)).as(dir.toString()).isTrue();
        Flyway flyway = Flyway.configure().dataSource(url(db), null, null).locations("filesystem:" + dir).load();
        MigrateResult first = flyway.migrate();
        long files;
        try (var list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".sql")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(first.migrationsExecuted).isEqualTo((int) files);
        try (Connection c = DriverManager.getConnection(url(db)); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*), MIN(id) FROM ferry_database")) {
            rs.next();
            assertThat(rs.getInt(1)).as("exactly one consolidated identity").isEqualTo(1);
            assertThat(java.util.UUID.fromString(rs.getString(2))).isNotNull();
        }
        assertThat(flyway.migrate().migrationsExecuted).as("idempotent").isZero();

        for (Map.Entry<String, List<String>> t : SYSTEM_TABLES.entrySet()) {
            assertThat(columnsOf(t.getKey())).as(t.getKey()).containsExactlyElementsOf(t.getValue());
        }
        // Unquoted names, so system-table SQL can be written the same way on every database.
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, position FROM ferry_clock")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1);
            assertThat(rs.getLong(2)).isZero();
            assertThat(rs.next()).isFalse();
        }
        assertThat(count(conn, "SELECT COUNT(*) FROM ferry_database")).as("the identity migration inserts one row").isEqualTo(1);

        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO ferry_sync_log (remote_id, started_at) VALUES (?, ?)")) {
            for (String r : List.of("r1", "r2")) {
                ps.setString(1, r);
                ps.setObject(2, LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_456_000));
                ps.executeUpdate();
            }
        }
        assertThat(count(conn, "SELECT COUNT(DISTINCT id) FROM ferry_sync_log WHERE id IS NOT NULL")).isEqualTo(2);
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT started_at FROM ferry_sync_log")) {
            rs.next();
            assertThat(rs.getObject(1, LocalDateTime.class)).as("microseconds kept").isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_456_000));
        }
        exec(conn, "INSERT INTO ferry_upload_error (remote_id, upload_number, seq, table_name, pk, code, message) "
                + "VALUES ('r1', 1, 1, 't', '[1]', 'ROW_DUPLICATE_KEY', 'x')");
        assertThatThrownBy(() -> exec(conn, "INSERT INTO ferry_upload_error (remote_id, upload_number, seq, table_name, pk, code, message) "
                + "VALUES ('r1', 1, 1, 't', '[2]', 'ROW_DUPLICATE_KEY', 'y')")).isInstanceOf(SQLException.class);
        exec(conn, "INSERT INTO ferry_table (table_id, table_name, shadow_name, provisioned_at) VALUES (1, 'a', 'ferry_chg_1', "
                + "CURRENT_TIMESTAMP)");
        assertThatThrownBy(() -> exec(conn, "INSERT INTO ferry_table (table_id, table_name, shadow_name, provisioned_at) "
                + "VALUES (2, 'a', 'ferry_chg_2', CURRENT_TIMESTAMP)")).as("table_name is unique").isInstanceOf(SQLException.class);

        assertThat(dialect.readSchema(conn, null)).as("Ferry's and Flyway's tables are never synchronized").isEmpty();
    }

    private List<String> columnsOf(String table) throws SQLException {
        List<String> cols = new ArrayList<>();
        Map<Integer, String> byPos = new java.util.TreeMap<>();
        try (ResultSet rs = conn.getMetaData().getColumns(conn.getCatalog(), conn.getSchema(), null, null)) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                    byPos.put(rs.getInt("ORDINAL_POSITION"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        cols.addAll(byPos.values());
        return cols;
    }
}
