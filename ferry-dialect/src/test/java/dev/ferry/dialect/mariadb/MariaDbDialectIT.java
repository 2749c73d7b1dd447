package dev.ferry.dialect.mariadb;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.ColumnGeneration;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.ConsolidatedDialectContract;
import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MariaDbDialectIT extends ConsolidatedDialectContract {
    @Override
    protected ConsolidatedDialect createDialect() {
        return new MariaDbDialect();
    }

    @Override
    protected TestDatabase createDatabase() {
        return TestDatabases.mariadb();
    }

    /** The binary protocol is required for exact FLOAT values (see MariaDbDialect). */
    @Override
    protected String url(TestDatabase database) {
        return database.url() + "&useServerPrepStmts=true";
    }

    @Override
    protected List<TypeCase> roundTripColumns() {
        return List.of(
                TypeCase.of("c_smallint", "smallint", FerryType.SMALLINT),
                TypeCase.of("c_integer", "int", FerryType.INTEGER),
                TypeCase.of("c_bigint", "bigint", FerryType.BIGINT),
                TypeCase.decimal("c_decimal", "decimal(12,2)", 12, 2),
                TypeCase.of("c_real", "float", FerryType.REAL),
                TypeCase.of("c_double", "double", FerryType.DOUBLE),
                TypeCase.text("c_text", "longtext", null),
                TypeCase.text("c_varchar", "varchar(40)", 40),
                TypeCase.of("c_boolean", "boolean", FerryType.BOOLEAN),
                TypeCase.of("c_date", "date", FerryType.DATE),
                TypeCase.of("c_time", "time(6)", FerryType.TIME),
                TypeCase.of("c_timestamp", "datetime(6)", FerryType.TIMESTAMP),
                TypeCase.of("c_timestamptz", "timestamp(6) NULL", FerryType.TIMESTAMPTZ),
                TypeCase.of("c_uuid", "uuid", FerryType.UUID),
                TypeCase.binary("c_binary", "longblob", null),
                TypeCase.of("c_json", "json", FerryType.JSON));
    }

    @Override
    protected List<TypeCase> extraMappings() {
        return List.of(
                TypeCase.of("c_tinyint1", "tinyint(1)", FerryType.BOOLEAN),
                TypeCase.of("c_tinyint", "tinyint", FerryType.SMALLINT),
                TypeCase.of("c_tinyint1u", "tinyint(1) unsigned", FerryType.SMALLINT),
                TypeCase.of("c_tinyintu", "tinyint unsigned", FerryType.SMALLINT),
                TypeCase.of("c_smallintu", "smallint unsigned", FerryType.INTEGER),
                TypeCase.of("c_mediumint", "mediumint", FerryType.INTEGER),
                TypeCase.of("c_mediumintu", "mediumint unsigned", FerryType.INTEGER),
                TypeCase.of("c_int11", "int(11)", FerryType.INTEGER),
                TypeCase.of("c_intu", "int unsigned", FerryType.BIGINT),
                TypeCase.decimal("c_bigintu", "bigint unsigned", 20, 0),
                TypeCase.decimal("c_decimal", "decimal", 10, 0),
                TypeCase.decimal("c_decimal65", "decimal(65,30)", 65, 30),
                TypeCase.of("c_realname", "real", FerryType.DOUBLE),
                TypeCase.of("c_dp", "double precision", FerryType.DOUBLE),
                TypeCase.paddedText("c_char", "char(3)", 3),
                TypeCase.text("c_tinytext", "tinytext", null),
                TypeCase.text("c_text", "text", null),
                TypeCase.text("c_mediumtext", "mediumtext", null),
                TypeCase.binary("c_bin16", "binary(16)", 16),
                TypeCase.binary("c_varbin", "varbinary(10)", 10),
                TypeCase.binary("c_tinyblob", "tinyblob", null),
                TypeCase.binary("c_blob", "blob", null),
                TypeCase.binary("c_mediumblob", "mediumblob", null),
                TypeCase.temporal("c_datetime0", "datetime", FerryType.TIMESTAMP, 0),
                TypeCase.temporal("c_datetime3", "datetime(3)", FerryType.TIMESTAMP, 3),
                TypeCase.temporal("c_time0", "time", FerryType.TIME, 0),
                TypeCase.temporal("c_time5", "time(5)", FerryType.TIME, 5),
                TypeCase.temporal("c_ts0", "timestamp NULL", FerryType.TIMESTAMPTZ, 0),
                TypeCase.temporal("c_ts1", "timestamp(1) NULL", FerryType.TIMESTAMPTZ, 1),
                // Issue 13
                TypeCase.text("c_enum", "enum('happy','sad')", 5),
                TypeCase.text("c_set", "set('a','bc')", 4),
                TypeCase.of("c_year", "year", FerryType.SMALLINT),
                TypeCase.of("c_bit1", "bit(1)", FerryType.BOOLEAN),
                TypeCase.of("c_bit12", "bit(12)", FerryType.BIGINT),
                new TypeCase("c_json_nn", "json NOT NULL", ColumnDef.of("c_json_nn", FerryType.JSON, false)));
    }

    /** The database has the server's default collation (utf8mb4_general_ci), under which text keys are refused. */
    @Override
    protected String exactTextKey(String nativeType) {
        return nativeType + " COLLATE utf8mb4_nopad_bin";
    }

    /** Plain VARCHAR: the database's default collation, whatever the server makes it, as long as it is not binary. */
    @Override
    protected String[] caseInsensitiveTextType(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@collation_database")) {
            rs.next();
            assertThat(rs.getString(1)).as("the test database has the server's case-insensitive default").doesNotEndWith("_bin");
            return new String[] {"VARCHAR(20)", rs.getString(1)};
        }
    }

    @Override
    protected List<String> unsupportedTypes() {
        return List.of("geometry", "point", "inet6", "bit(64)");
    }

    /** Issue 13: enum, set, year and bit values written and read back, NULL too; a value the type refuses fails its row. */
    @Test
    void enumSetYearAndBitValuesRoundTripAndAValueTheTypeRefusesFailsItsRow() throws SQLException {
        exec(conn, "CREATE TABLE odd (id INT PRIMARY KEY, mood ENUM('happy','sad'), tags SET('a','bc','d'), born YEAR, flag BIT(1),"
                + " mask BIT(12))");
        TableDef odd = table("odd");
        Object[] values = {"sad", "a,d", 2024L, true, 2049L};
        assertWrittenAndReadBack(odd, values, values);
        for (Object[] bad : new Object[][] {{"mood", "angry"}, {"tags", "a,zz"}, {"born", 1800L}, {"mask", 5000L}}) {
            assertRefusedForItsRow(odd, (String) bad[0], bad[1]);
        }
    }

    @Override
    protected String jsonIsObjectSql(String quotedColumn) {
        return "JSON_TYPE(" + quotedColumn + ") = 'OBJECT'";
    }

    @Override
    protected String epochSecondsSql(String quotedColumn) {
        return "UNIX_TIMESTAMP(" + quotedColumn + ")";
    }

    @Override
    protected int trackingObjects(Connection c, String table, String prefix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.TRIGGERS "
                + "WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME LIKE CONCAT(?, '%')")) {
            ps.setString(1, table);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    protected String computedType(String expression) {
        return "INTEGER AS (" + expression + ") PERSISTENT";
    }

    @Override
    protected String identityAlwaysType() {
        return null;
    }

    @Override
    protected String numberedKeyType() {
        return "BIGINT AUTO_INCREMENT PRIMARY KEY";
    }

    @Override
    protected String numberingByDefaultType() {
        return "INTEGER NOT NULL AUTO_INCREMENT UNIQUE";
    }

    @Override
    protected boolean computedKeysAllowed() {
        return false;
    }

    @Override
    protected String sessionLockTimeoutSql() {
        return "SELECT @@SESSION.innodb_lock_wait_timeout";
    }

    @Override
    protected boolean recordsNoOpUpdates() {
        return true;
    }

    @Test
    void virtualPersistentAndStoredGeneratedColumnsAreAllComputed() throws SQLException {
        exec(conn, "CREATE TABLE gen (id INT PRIMARY KEY, qty INT, v INT AS (qty * 2) VIRTUAL, p INT AS (qty * 3) PERSISTENT,"
                + " s INT GENERATED ALWAYS AS (qty * 4) STORED) ENGINE=InnoDB");
        TableDef gen = table("gen");
        for (String col : List.of("v", "p", "s")) {
            assertThat(gen.column(col).generation()).as(col).isEqualTo(ColumnGeneration.COMPUTED);
        }
        assertThat(gen.writableColumns()).extracting(ColumnDef::name).containsExactly("id", "qty");
    }

    @Test
    void identifierLimitIsSixtyFourCharacters() {
        assertThat(dialect.quote("é".repeat(64))).isEqualTo("`" + "é".repeat(64) + "`");
        assertThatThrownBy(() -> dialect.quote("x".repeat(65))).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThat(dialect.quote("a`b")).isEqualTo("`a``b`");
    }

    @Test
    void connectionInitSqlForcesUtcAndStrictMode() throws SQLException {
        Connection c = open();
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode = '', time_zone = '+05:00'");
            s.execute(dialect.connectionInitSql());
            try (ResultSet rs = s.executeQuery("SELECT @@time_zone, @@sql_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("+00:00");
                assertThat(rs.getString(2)).contains("STRICT_ALL_TABLES");
            }
        }
    }

    @Test
    void unsignedIntegersRoundTripWhole() throws SQLException {
        exec(conn, "CREATE TABLE u (id int unsigned NOT NULL PRIMARY KEY, big bigint unsigned)");
        TableDef u = table("u");
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO u VALUES (?, ?)")) {
            dialect.bind(ps, 1, u.column("id"), 4294967295L);
            dialect.bind(ps, 2, u.column("big"), new BigDecimal("18446744073709551615"));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT id, big FROM u"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(dialect.read(rs, 1, u.column("id"))).isEqualTo(4294967295L);
            assertThat(dialect.read(rs, 2, u.column("big"))).isEqualTo(new BigDecimal("18446744073709551615"));
        }
    }

    @Test
    void shadowKeysKeepTheBaseCollationAndNeverAutoUpdate() throws SQLException {
        // explicit_defaults_for_timestamp=OFF would make the first TIMESTAMP column ON UPDATE CURRENT_TIMESTAMP.
        exec(conn, "SET SESSION explicit_defaults_for_timestamp = OFF",
                "CREATE TABLE ci (k varchar(10) COLLATE utf8mb4_nopad_bin NOT NULL, t timestamp(6) NOT NULL DEFAULT '2001-01-01 00:00:00', "
                        + "v int, PRIMARY KEY (k, t))");
        TableDef ci = table("ci");
        dialect.installTracking(conn, ci, "ferry_chg_1", "ferry_trg_1");
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT COLUMN_NAME, COLLATION_NAME, EXTRA "
                + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'ferry_chg_1' ORDER BY ORDINAL_POSITION")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("k");
            assertThat(rs.getString(2)).as("not the database's default collation").isEqualTo("utf8mb4_nopad_bin");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("t");
            assertThat(rs.getString(3)).doesNotContainIgnoringCase("on update");
        }
        exec(conn, "INSERT INTO ci VALUES ('a', '2020-01-01 00:00:00.5', 1)", "UPDATE ci SET v = 2");
        assertThat(shadow(conn, "ferry_chg_1", ci)).containsExactly("a:2020-01-01 00:00:00.5:U:null");
    }

    /**
     * Issue 10, defect 6: under a PAD SPACE collation ('ab' = 'ab ') a key is padded: a row another
     * application stored as 'ab ' is read as 'ab', the one form remotes get; under NO PAD it is exact.
     */
    @Test
    void aKeyUnderAPadSpaceCollationIsReadWithoutTrailingSpacesAndANoPadKeyExactly() throws SQLException {
        exec(conn, "CREATE TABLE pad (k varchar(10) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, note varchar(10) COLLATE utf8mb4_bin)",
                "CREATE TABLE nopad (k varchar(10) COLLATE utf8mb4_nopad_bin NOT NULL PRIMARY KEY)",
                "INSERT INTO pad VALUES ('ab ', 'cd ')", "INSERT INTO nopad VALUES ('ab '), ('ab')");
        TableDef pad = table("pad");
        assertThat(pad.column("k").padded()).isTrue();
        assertThat(pad.column("note").padded()).as("outside the key trailing spaces are data").isFalse();
        assertThat(table("nopad").column("k").padded()).isFalse();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT k, note FROM pad")) {
            rs.next();
            assertThat(dialect.read(rs, 1, pad.column("k"))).isEqualTo("ab");
            assertThat(dialect.read(rs, 2, pad.column("note"))).isEqualTo("cd ");
        }
    }
}
