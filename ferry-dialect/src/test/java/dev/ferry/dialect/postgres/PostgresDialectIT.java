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
                TypeCase.of("c_jsonb", "jsonb", FerryType.JSON));
    }

    @Override
    protected void createUserTypes(Connection c) throws SQLException {
        exec(c, "CREATE TYPE mood AS ENUM ('happy', 'sad')", "CREATE DOMAIN email AS text");
    }

    /** A nondeterministic ICU collation: the one kind of PostgreSQL collation under which different texts are equal. */
    @Override
    protected String[] caseInsensitiveTextType(Connection c) throws SQLException {
        exec(c, "CREATE COLLATION case_blind (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
        return new String[] {"text COLLATE case_blind", "case_blind"};
    }

    @Override
    protected List<String> unsupportedTypes() {
        return List.of("int[]", "text[]", "interval", "money", "timetz", "xml", "mood", "email", "point", "int4range", "inet",
                "bit(3)", "tsvector", "\"char\"", "oid");
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
