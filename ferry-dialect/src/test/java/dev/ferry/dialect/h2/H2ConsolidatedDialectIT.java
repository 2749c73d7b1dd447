package dev.ferry.dialect.h2;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.ConsolidatedDialectContract;
import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class H2ConsolidatedDialectIT extends ConsolidatedDialectContract {
    @Override
    protected ConsolidatedDialect createDialect() {
        return new H2ConsolidatedDialect();
    }

    @Override
    protected TestDatabase createDatabase() {
        return TestDatabases.h2();
    }

    @Override
    protected List<TypeCase> roundTripColumns() {
        return List.of(
                TypeCase.of("c_smallint", "SMALLINT", FerryType.SMALLINT),
                TypeCase.of("c_integer", "INTEGER", FerryType.INTEGER),
                TypeCase.of("c_bigint", "BIGINT", FerryType.BIGINT),
                TypeCase.decimal("c_decimal", "NUMERIC(12,2)", 12, 2),
                TypeCase.decimal("c_decimal_any", "DECFLOAT", null, null),
                TypeCase.of("c_real", "REAL", FerryType.REAL),
                TypeCase.of("c_double", "DOUBLE PRECISION", FerryType.DOUBLE),
                TypeCase.text("c_text", "CHARACTER VARYING", null),
                TypeCase.text("c_varchar", "VARCHAR(40)", 40),
                TypeCase.text("c_clob", "CLOB", null),
                TypeCase.of("c_boolean", "BOOLEAN", FerryType.BOOLEAN),
                TypeCase.of("c_date", "DATE", FerryType.DATE),
                TypeCase.of("c_time", "TIME(6)", FerryType.TIME),
                TypeCase.of("c_timestamp", "TIMESTAMP(6)", FerryType.TIMESTAMP),
                TypeCase.of("c_timestamptz", "TIMESTAMP(6) WITH TIME ZONE", FerryType.TIMESTAMPTZ),
                TypeCase.of("c_uuid", "UUID", FerryType.UUID),
                TypeCase.binary("c_binary", "BINARY VARYING", null),
                TypeCase.binary("c_blob", "BLOB", null),
                TypeCase.of("c_json", "JSON", FerryType.JSON));
    }

    @Override
    protected List<TypeCase> extraMappings() {
        return List.of(
                TypeCase.of("c_tinyint", "TINYINT", FerryType.SMALLINT),
                TypeCase.of("c_int", "INT", FerryType.INTEGER),
                TypeCase.decimal("c_dec", "DECIMAL(20,4)", 20, 4),
                // H2's plain NUMERIC is NUMERIC(100000, 0): an integer column.
                TypeCase.decimal("c_numeric", "NUMERIC", 100000, 0),
                TypeCase.of("c_float", "FLOAT", FerryType.DOUBLE),
                TypeCase.of("c_float10", "FLOAT(10)", FerryType.REAL),
                TypeCase.of("c_double", "DOUBLE", FerryType.DOUBLE),
                TypeCase.paddedText("c_char", "CHARACTER(3)", 3),
                TypeCase.text("c_ignorecase", "VARCHAR_IGNORECASE(5)", 5),
                TypeCase.binary("c_bin", "BINARY(4)", 4),
                TypeCase.binary("c_varbin", "VARBINARY(8)", 8),
                TypeCase.temporal("c_time0", "TIME", FerryType.TIME, 0),
                TypeCase.temporal("c_ts3", "TIMESTAMP(3)", FerryType.TIMESTAMP, 3),
                TypeCase.of("c_ts", "TIMESTAMP", FerryType.TIMESTAMP),
                TypeCase.of("c_tstz", "TIMESTAMP WITH TIME ZONE", FerryType.TIMESTAMPTZ));
    }

    @Override
    protected String[] caseInsensitiveTextType(Connection c) {
        return new String[] {"VARCHAR_IGNORECASE(20)", "VARCHAR_IGNORECASE"};
    }

    @Override
    protected List<String> unsupportedTypes() {
        return List.of("INTEGER ARRAY", "INTERVAL DAY", "TIME WITH TIME ZONE", "JAVA_OBJECT", "ROW(x INTEGER)");
    }

    /** Issue 13: an H2 enum synchronizes as its label; a label it does not declare fails its row. */
    @Test
    void anEnumIsItsLabelAndAnUnknownLabelFailsItsRow() throws SQLException {
        exec(conn, "CREATE TABLE " + q("moods") + " (" + q("id") + " INTEGER PRIMARY KEY, " + q("mood") + " ENUM('happy', 'sad'))");
        TableDef moods = table("moods");
        assertThat(moods.column("mood").type()).isEqualTo(FerryType.TEXT);
        assertWrittenAndReadBack(moods, new Object[] {"sad"}, new Object[] {"sad"});
        assertRefusedForItsRow(moods, "mood", "angry");
    }

    @Override
    protected String jsonIsObjectSql(String quotedColumn) {
        return quotedColumn + " IS JSON OBJECT";
    }

    @Override
    protected String epochSecondsSql(String quotedColumn) {
        return "EXTRACT(EPOCH FROM " + quotedColumn + ")";
    }

    @Override
    protected int trackingObjects(Connection c, String table, String prefix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TRIGGERS "
                + "WHERE EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME LIKE ?")) {
            ps.setString(1, table);
            ps.setString(2, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    protected String computedType(String expression) {
        return "INTEGER GENERATED ALWAYS AS (" + expression + ")";
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
        return "SELECT LOCK_TIMEOUT()";
    }

    @Override
    protected boolean recordsNoOpUpdates() {
        return false;
    }

    @Test
    void unquotedUpperCaseTablesAreFoundAndTracked() throws SQLException {
        exec(conn, "CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(10))");
        TableDef orders = table("orders");
        assertThat(orders.name()).isEqualTo("ORDERS");
        assertThat(orders.primaryKey()).containsExactly("ID");
        dialect.installTracking(conn, orders, "ferry_chg_5", "ferry_trg_5");
        exec(open(), "INSERT INTO orders VALUES (1, 'x')", "UPDATE orders SET id = 2");
        assertThat(shadow(conn, "ferry_chg_5", orders)).containsExactly("1:D:null", "2:I:null");
    }

    @Test
    void triggerWorksAfterReopeningAndAfterColumnsMove() throws SQLException {
        exec(conn, "CREATE TABLE " + q("items") + " (" + q("name") + " VARCHAR(10), " + q("id") + " INT PRIMARY KEY)");
        TableDef items = table("items");
        dialect.installTracking(conn, items, "ferry_chg_1", "ferry_trg_1");
        exec(conn, "INSERT INTO " + q("items") + " VALUES ('a', 1)");

        // Close every connection: H2 closes the database and re-creates the trigger when it opens again.
        closeDatabaseConnections();
        conn = open();
        exec(open(), "INSERT INTO " + q("items") + " VALUES ('b', 2)");
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactly("1:I:null", "2:I:null");

        exec(conn, "ALTER TABLE " + q("items") + " ADD COLUMN " + q("extra") + " INT BEFORE " + q("name"),
                "UPDATE " + q("ferry_chg_1") + " SET " + q("ferry_position") + " = 1");
        exec(open(), "INSERT INTO " + q("items") + " VALUES (0, 'c', 3)", "DELETE FROM " + q("items") + " WHERE " + q("id") + " = 1");
        assertThat(shadow(conn, "ferry_chg_1", items)).containsExactly("1:D:null", "2:I:1", "3:I:null");
    }

    private void closeDatabaseConnections() throws SQLException {
        conn.close();
        // Every other connection of this test is closed too; then the database file is closed.
        try (Connection probe = DriverManager.getConnection(url(db))) {
            exec(probe, "SHUTDOWN");
        }
    }

    @Test
    void tablesWithDollarInTheirNameSurviveAlterTable() throws SQLException {
        exec(conn, "CREATE TABLE " + q("a$b") + " (" + q("id") + " INT PRIMARY KEY)");
        TableDef t = table("a$b");
        dialect.installTracking(conn, t, "ferry_chg_1", "ferry_trg_1");
        exec(conn, "ALTER TABLE " + q("a$b") + " ADD COLUMN " + q("x") + " INT BEFORE " + q("id"));
        exec(open(), "INSERT INTO " + q("a$b") + " VALUES (0, 1)");
        assertThat(shadow(conn, "ferry_chg_1", t)).containsExactly("1:I:null");
    }

    @Test
    void jsonIsStoredCompactAsJson() throws SQLException {
        exec(conn, "CREATE TABLE " + q("docs") + " (" + q("id") + " INT PRIMARY KEY, " + q("doc") + " JSON)");
        TableDef docs = table("docs");
        assertThat(dialect.placeholder(docs.column("doc"))).isEqualTo("? FORMAT JSON");
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + q("docs") + " VALUES (?, " + dialect.placeholder(docs.column("doc")) + ")")) {
            dialect.bind(ps, 1, docs.column("id"), 1L);
            dialect.bind(ps, 2, docs.column("doc"), "{\"b\" : 1, \"a\" : [ true ]}");
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT " + q("doc") + " FROM " + q("docs")); ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(dialect.read(rs, 1, docs.column("doc"))).isEqualTo("{\"b\":1,\"a\":[true]}");
        }
    }

    @Test
    void shadowNamesWithDollarAreRefused() throws SQLException {
        exec(conn, "CREATE TABLE " + q("items") + " (" + q("id") + " INT PRIMARY KEY)");
        TableDef items = table("items");
        assertThatThrownBy(() -> dialect.installTracking(conn, items, "ferry$chg_1", "ferry_trg_1"))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }

    /** Issue 10, defect 6: a database collation (SET COLLATION) applies to every text column, keys included. */
    @Test
    void textKeysOfADatabaseWithACollationAreRefused() throws SQLException {
        exec(conn, "SET COLLATION ENGLISH STRENGTH PRIMARY",
                "CREATE TABLE " + q("tag") + " (" + q("code") + " VARCHAR(20) NOT NULL PRIMARY KEY)",
                "CREATE TABLE " + q("num") + " (" + q("id") + " INTEGER NOT NULL PRIMARY KEY, " + q("label") + " VARCHAR(20))");
        assertThatThrownBy(() -> dialect.readSchema(conn, List.of("tag")))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_KEY_COLLATION);
                    assertThat(e.getMessage()).contains("table tag key column code has collation ENGLISH STRENGTH PRIMARY");
                });
        assertThat(table("num").column("label").type()).isEqualTo(FerryType.TEXT);
    }

    /** A shadow table made before issue 10 declared a CHARACTER(5) key CHARACTER VARYING(5): installing again fixes it. */
    @Test
    void anOlderShadowTableOfACharacterKeyGetsThePaddingTypeSoTheStamperFindsItsRows() throws SQLException {
        exec(conn, "CREATE TABLE " + q("pads") + " (" + q("k") + " CHARACTER(5) NOT NULL PRIMARY KEY)",
                "CREATE TABLE " + q("ferry_chg_4") + " (" + q("k") + " CHARACTER VARYING(5) NOT NULL, " + q("ferry_op") + " CHAR(1) NOT NULL, "
                        + q("ferry_position") + " BIGINT NULL, PRIMARY KEY (" + q("k") + "))",
                "INSERT INTO " + q("ferry_chg_4") + " VALUES ('ab   ', 'I', NULL)");
        TableDef pads = table("pads");
        dialect.installTracking(conn, pads, "ferry_chg_4", "ferry_trg_4");
        dialect.installTracking(conn, pads, "ferry_chg_4", "ferry_trg_4");
        try (PreparedStatement ps = conn.prepareStatement("UPDATE " + q("ferry_chg_4") + " SET " + q("ferry_position") + " = 1 WHERE "
                + q("k") + " = ?")) {
            dialect.bind(ps, 1, pads.column("k"), "ab");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}
