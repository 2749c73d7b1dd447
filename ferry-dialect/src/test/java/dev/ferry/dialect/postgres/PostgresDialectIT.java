package dev.ferry.dialect.postgres;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.ConsolidatedDialectContract;
import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresDialectIT extends ConsolidatedDialectContract {
    @Override
    protected ConsolidatedDialect createDialect() {
        return new PostgresDialect();
    }

    @Override
    protected TestDatabase createDatabase() {
        return TestDatabases.postgres();
    }

    @Override
    protected List<TypeCase> roundTripColumns() {
        return List.of(
                TypeCase.of("c_smallint", "int2", FerryType.SMALLINT),
                TypeCase.of("c_integer", "int4", FerryType.INTEGER),
                TypeCase.of("c_bigint", "int8", FerryType.BIGINT),
                TypeCase.decimal("c_decimal", "numeric(12,2)", 12, 2),
                TypeCase.decimal("c_decimal_any", "numeric", null, null),
                TypeCase.of("c_real", "float4", FerryType.REAL),
                TypeCase.of("c_double", "float8", FerryType.DOUBLE),
                TypeCase.text("c_text", "text", null),
                TypeCase.text("c_varchar", "varchar(40)", 40),
                TypeCase.of("c_boolean", "bool", FerryType.BOOLEAN),
                TypeCase.of("c_date", "date", FerryType.DATE),
                TypeCase.of("c_time", "time", FerryType.TIME),
                TypeCase.of("c_timestamp", "timestamp", FerryType.TIMESTAMP),
                TypeCase.of("c_timestamptz", "timestamptz", FerryType.TIMESTAMPTZ),
                TypeCase.of("c_uuid", "uuid", FerryType.UUID),
                TypeCase.binary("c_binary", "bytea", null),
                // json keeps the text verbatim; jsonb normalizes it (see jsonbIsBoundAndNormalized)
                TypeCase.of("c_json", "json", FerryType.JSON));
    }

    @Override
    protected List<TypeCase> extraMappings() {
        return List.of(
                new TypeCase("c_serial", "serial", ColumnDef.of("c_serial", FerryType.INTEGER, false)),
                new TypeCase("c_bigserial", "bigserial", ColumnDef.of("c_bigserial", FerryType.BIGINT, false)),
                new TypeCase("c_smallserial", "smallserial", ColumnDef.of("c_smallserial", FerryType.SMALLINT, false)),
                TypeCase.of("c_smallint", "smallint", FerryType.SMALLINT),
                TypeCase.of("c_integer", "integer", FerryType.INTEGER),
                TypeCase.of("c_bigint", "bigint", FerryType.BIGINT),
                TypeCase.decimal("c_num5", "numeric(5)", 5, 0),
                TypeCase.decimal("c_dec", "decimal(38,10)", 38, 10),
                TypeCase.of("c_realname", "real", FerryType.REAL),
                TypeCase.of("c_dp", "double precision", FerryType.DOUBLE),
                TypeCase.text("c_cv", "character varying(7)", 7),
                TypeCase.text("c_varchar_any", "varchar", null),
                TypeCase.paddedText("c_char", "char(3)", 3),
                TypeCase.paddedText("c_bpchar", "bpchar", null),
                TypeCase.of("c_boolean", "boolean", FerryType.BOOLEAN),
                TypeCase.of("c_time6", "time(6)", FerryType.TIME),
                TypeCase.temporal("c_ts3", "timestamp(3)", FerryType.TIMESTAMP, 3),
                TypeCase.temporal("c_time0", "time(0)", FerryType.TIME, 0),
                TypeCase.temporal("c_tstz2", "timestamptz(2)", FerryType.TIMESTAMPTZ, 2),
                TypeCase.of("c_tstz", "timestamp with time zone", FerryType.TIMESTAMPTZ),
                TypeCase.of("c_jsonb", "jsonb", FerryType.JSON),
                // Issue 13: a domain as its base type; enums and types with an exact text form as TEXT the server converts.
                TypeCase.of("c_email", "email", FerryType.TEXT),
                new TypeCase("c_short", "short_code", new ColumnDef("c_short", FerryType.TEXT, true, 5, null, null)),
                serverConverted("c_mood", "mood", "mood"),
                serverConverted("c_interval", "interval", "interval"),
                serverConverted("c_money", "money", "money"),
                serverConverted("c_inet", "inet", "inet"),
                serverConverted("c_cidr", "cidr", "cidr"),
                serverConverted("c_macaddr", "macaddr", "macaddr"),
                serverConverted("c_xml", "xml", "xml"),
                serverConverted("c_bit", "bit(3)", "varbit"),
                serverConverted("c_varbit", "varbit(8)", "varbit"),
                serverConverted("c_tsvector", "tsvector", "tsvector"),
                serverConverted("c_timetz", "timetz", "timetz"),
                serverConverted("c_range", "int4range", "int4range"),
                serverConverted("c_tsrange", "tstzrange", "tstzrange"),
                serverConverted("c_point", "point", "point"));
    }

    private static TypeCase serverConverted(String column, String nativeType, String serverType) {
        return new TypeCase(column, nativeType, ColumnDef.of(column, FerryType.TEXT, true).withServerType(serverType));
    }

    @Override
    protected void createUserTypes(Connection c) throws SQLException {
        exec(c, "CREATE TYPE mood AS ENUM ('happy', 'sad')", "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%')",
                "CREATE DOMAIN short_code AS varchar(5)");
    }

    /** A nondeterministic ICU collation: the one kind of PostgreSQL collation under which different texts are equal. */
    @Override
    protected String[] caseInsensitiveTextType(Connection c) throws SQLException {
        exec(c, "CREATE COLLATION case_blind (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
        return new String[] {"text COLLATE case_blind", "case_blind"};
    }

    @Override
    protected List<String> unsupportedTypes() {
        return List.of("interval[]", "\"char\"", "oid", "regclass", "jsonb[]");
    }

    @Override
    protected String jsonIsObjectSql(String quotedColumn) {
        return "json_typeof(" + quotedColumn + "::json) = 'object'";
    }

    @Override
    protected String epochSecondsSql(String quotedColumn) {
        return "EXTRACT(EPOCH FROM " + quotedColumn + ")";
    }

    @Override
    protected int trackingObjects(Connection c, String table, String prefix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid "
                + "WHERE r.relname = ? AND NOT t.tgisinternal) + (SELECT count(*) FROM pg_proc WHERE proname IN (?, ?))")) {
            ps.setString(1, table);
            ps.setString(2, prefix + "_fn");
            ps.setString(3, prefix + "_truncate_fn");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    protected String computedType(String expression) {
        return "INTEGER GENERATED ALWAYS AS (" + expression + ") STORED";
    }

    @Override
    protected String identityAlwaysType() {
        return "BIGINT GENERATED ALWAYS AS IDENTITY";
    }

    @Override
    protected String numberedKeyType() {
        return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    }

    @Override
    protected String numberingByDefaultType() {
        return "BIGINT GENERATED BY DEFAULT AS IDENTITY";
    }

    @Override
    protected boolean computedKeysAllowed() {
        return true;
    }

    @Override
    protected String sessionLockTimeoutSql() {
        return "SHOW lock_timeout";
    }

    @Override
    protected boolean recordsNoOpUpdates() {
        return false;
    }

    @Test
    void identifierLimitIsSixtyThreeBytes() {
        assertThat(dialect.quote("é".repeat(31) + "x")).isEqualTo("\"" + "é".repeat(31) + "x\"");
        assertThatThrownBy(() -> dialect.quote("é".repeat(32))).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThat(dialect.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    }

    @Test
    void writersWithAnotherSearchPathAreCaptured() throws SQLException {
        exec(conn, "CREATE TABLE items (id integer PRIMARY KEY, name text)");
        TableDef items = table("items");
        dialect.installTracking(conn, items, "ferry_chg_1", "ferry_trg_1");
        Connection other = open();
        exec(other, "CREATE SCHEMA elsewhere", "SET search_path = elsewhere", "INSERT INTO public.items VALUES (1, 'x')");
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactly("1:I:null");
    }

    /**
     * Issue 13: values of enums, domains and types with a text form are written through the server's own
     * conversion (so the database checks them) and read back as the text the remotes hold; NULL too, and
     * a value the type refuses is that row's failure, not the connection's.
     */
    @Test
    void enumsDomainsAndTextFormTypesAreWrittenThroughTheServersConversionAndReadAsText() throws SQLException {
        createUserTypes(conn);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("mood", "happy");
        values.put("email", "ada@example.org");
        values.put("interval", "1 day 02:03:04");
        values.put("inet", "192.168.0.1/24");
        values.put("cidr", "10.0.0.0/8");
        values.put("macaddr", "08:00:2b:01:02:03");
        values.put("money", "$12.50");
        values.put("xml", "<a>b</a>");
        values.put("bit(3)", "101");
        values.put("tsvector", "'a' 'b':2");
        values.put("int4range", "[1,10)");
        values.put("timetz", "12:00:00+02");
        values.put("point", "(1,2)");
        StringBuilder ddl = new StringBuilder("CREATE TABLE typed (id integer PRIMARY KEY");
        int n = 0;
        for (String type : values.keySet()) {
            ddl.append(", c").append(n++).append(' ').append(type);
        }
        exec(conn, "SET lc_monetary = 'C'", ddl.append(")").toString());
        TableDef typed = table("typed");
        Object[] expected = values.values().toArray();
        assertWrittenAndReadBack(typed, expected, expected);
        for (String[] bad : new String[][] {{"c0", "angry"}, {"c1", "no at sign"}, {"c2", "soon"}, {"c3", "300.1.1.1"}, {"c8", "1011"}}) {
            assertRefusedForItsRow(typed, bad[0], bad[1]);
        }
    }

    /** Issue 13: arrays travel as JSON arrays, nested ones as nested arrays, NULL elements as null; PostgreSQL checks each element. */
    @Test
    void arraysAreWrittenFromAndReadAsJsonArrays() throws SQLException {
        exec(conn, "CREATE TABLE arr (id integer PRIMARY KEY, ints int4[], texts text[], nums numeric(5,2)[], flags bool[], grid int8[][],"
                + " days date[], ids uuid[])");
        TableDef arr = table("arr");
        assertThat(arr.column("ints").type()).isEqualTo(FerryType.JSON);
        assertThat(arr.column("ints").serverType()).isEqualTo("int4[]");
        String[] written = {"[1, 2, null]", "[\"a\", \"b c\", \"q\\\"uote\", \"{}\"]", "[1.5, 2]", "[true, false]", "[[1,2],[3,4]]",
                "[\"2024-02-29\"]", "[\"5f0c7c1e-8d4c-4c53-9b6e-0c1c1b1a2b3c\"]"};
        String[] read = {"[1,2,null]", "[\"a\",\"b c\",\"q\\\"uote\",\"{}\"]", "[1.50,2.00]", "[true,false]", "[[1,2],[3,4]]",
                "[\"2024-02-29\"]", "[\"5f0c7c1e-8d4c-4c53-9b6e-0c1c1b1a2b3c\"]"};
        assertWrittenAndReadBack(arr, written, read);
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT texts[3], grid[2][1], nums[1] FROM arr WHERE id = 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("q\"uote");
            assertThat(rs.getLong(2)).isEqualTo(3);
            assertThat(rs.getBigDecimal(3)).isEqualByComparingTo("1.5");
        }
        ColumnDef ints = arr.column("ints");
        assertThatThrownBy(() -> {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE arr SET ints = " + dialect.placeholder(ints) + " WHERE id = 1")) {
                dialect.bind(ps, 1, ints, "{\"a\": 1}");
            }
        }).isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ROW_INVALID_VALUE));
        assertRefusedForItsRow(arr, "ints", "[\"x\"]");
    }

    /**
     * Issue 13: a partitioned table is one table, its parent; its partitions are never listed, and the
     * parent's triggers capture writes however they reach a partition (also a row moved between them).
     */
    @Test
    void aPartitionedTableIsReadAsItsParentAndItsTriggersSeeEveryPartition() throws SQLException {
        exec(conn, "CREATE TABLE reading (id bigint, region integer, v text, PRIMARY KEY (id, region)) PARTITION BY LIST (region)",
                "CREATE TABLE reading_1 PARTITION OF reading FOR VALUES IN (1)",
                "CREATE TABLE reading_2 PARTITION OF reading FOR VALUES IN (2)",
                "CREATE TABLE plain (id integer PRIMARY KEY)");
        assertThat(dialect.readSchema(conn, null)).extracting(TableDef::name).containsExactlyInAnyOrder("plain", "reading");
        TableDef reading = table("reading");
        assertThat(reading.primaryKey()).containsExactly("id", "region");
        assertThat(reading.columns()).extracting(ColumnDef::name).containsExactly("id", "region", "v");

        dialect.installTracking(conn, reading, "ferry_chg_1", "ferry_trg_1");
        Connection app = open();
        exec(app, "INSERT INTO reading VALUES (1, 1, 'a'), (2, 2, 'b')", "INSERT INTO reading_2 VALUES (3, 2, 'straight into a partition')");
        assertThat(shadow(conn, "ferry_chg_1", reading)).containsExactly("1:1:I:null", "2:2:I:null", "3:2:I:null");
        exec(conn, "UPDATE ferry_chg_1 SET ferry_position = 5");
        exec(app, "UPDATE reading SET region = 2 WHERE id = 1");
        assertThat(shadow(conn, "ferry_chg_1", reading)).as("a row moved to another partition is a new key").containsExactly(
                "1:1:D:null", "1:2:I:null", "2:2:I:5", "3:2:I:5");
        exec(app, "TRUNCATE reading");
        assertThat(shadow(conn, "ferry_chg_1", reading)).containsExactly("1:1:D:null", "1:2:D:null", "2:2:D:null", "3:2:D:null");
    }

    /** Issue 13: TRUNCATE fires no row trigger; its statement trigger records every key as deleted, for a cascade's tables too. */
    @Test
    void aTruncateRecordsEveryRowAsDeletedAlsoInTheTablesItCascadesTo() throws SQLException {
        exec(conn, "CREATE TABLE items (id integer PRIMARY KEY, name text)",
                "CREATE TABLE notes (id integer PRIMARY KEY, item_id integer REFERENCES items (id))");
        TableDef items = table("items");
        TableDef notes = table("notes");
        dialect.installTracking(conn, items, "ferry_chg_1", "ferry_trg_1");
        dialect.installTracking(conn, notes, "ferry_chg_2", "ferry_trg_2");
        exec(conn, "INSERT INTO items VALUES (1, 'a'), (2, 'b')", "INSERT INTO notes VALUES (7, 1)");
        exec(conn, "UPDATE ferry_chg_1 SET ferry_position = 5", "UPDATE ferry_chg_2 SET ferry_position = 5");

        Connection app = open();
        exec(app, "TRUNCATE items CASCADE");
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactlyInAnyOrder("1:D:null", "2:D:null");
        assertThat(shadow(conn, "ferry_chg_2", notes)).containsExactly("7:D:null");
        exec(app, "TRUNCATE items CASCADE");
        assertThat(shadow(conn, "ferry_chg_1", items)).as("an empty table truncated again changes nothing").hasSize(2);
    }

    @Test
    void jsonbIsBoundAndNormalized() throws SQLException {
        exec(conn, "CREATE TABLE docs (id integer PRIMARY KEY, doc jsonb)");
        TableDef docs = table("docs");
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO docs VALUES (?, " + dialect.placeholder(docs.column("doc")) + ")")) {
            dialect.bind(ps, 1, docs.column("id"), 1L);
            dialect.bind(ps, 2, docs.column("doc"), "{\"b\":1,\"a\":[true]}");
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT doc FROM docs"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(dialect.read(rs, 1, docs.column("doc"))).isEqualTo("{\"a\": [true], \"b\": 1}");
        }
    }

    /**
     * Issue 10, defect 13: pgjdbc 42.7.4 reported a key's INCLUDE columns as key columns, so remotes got a
     * wider key and their foreign keys to the table broke. Keys are read from pg_index, of the current
     * schema only.
     */
    @Test
    void aPrimaryKeyWithIncludeColumnsIsReadAsItsKeyColumnsOnly() throws SQLException {
        exec(conn, "CREATE TABLE parent (id integer, name text, PRIMARY KEY (id) INCLUDE (name))",
                "CREATE TABLE pair (b text, a integer, note text, PRIMARY KEY (b, a) INCLUDE (note))",
                "CREATE TABLE child (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id))",
                "CREATE SCHEMA other", "CREATE TABLE other.parent (name text PRIMARY KEY, id integer)");
        List<TableDef> tables = dialect.readSchema(conn, List.of("parent", "pair", "child"));
        assertThat(tables.get(0).primaryKey()).containsExactly("id");
        assertThat(tables.get(1).primaryKey()).as("key order, INCLUDE column left out").containsExactly("b", "a");
        assertThat(tables.get(2).foreignKeys()).extracting(fk -> fk.referencedColumns()).containsExactly(List.of("id"));
    }
}
