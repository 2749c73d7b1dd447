package dev.ferry.dialect.mariadb;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.dialect.jdbc.IdentifierQuoter;
import dev.ferry.dialect.jdbc.JdbcSchemaReader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * MariaDB (10.6 or later; tested on 10.11) as the consolidated database.
 *
 * <p>Connection requirements, which the server must honour for every pooled connection:
 * <ul>
 *   <li>run {@link #connectionInitSql()}: UTC session time zone (TIMESTAMP columns are Ferry's
 *       TIMESTAMPTZ and are converted through the session zone) and strict mode (so an out-of-range
 *       or too long value is an error instead of being silently clamped or truncated);</li>
 *   <li>use the binary protocol, {@code useServerPrepStmts=true} in the JDBC URL: over the text
 *       protocol MariaDB prints FLOAT with 6 significant digits, so REAL values would not round-trip.</li>
 * </ul>
 *
 * <p>Schema: the tables of {@code DATABASE()}; types as {@link MariaDbTypeMapping} describes.
 * Tracking: three triggers per table ({@link MariaDbTracking}); MariaDB does not fire triggers for
 * foreign-key cascades. {@link #setLockTimeout} sets {@code innodb_lock_wait_timeout}, whole seconds,
 * at least 1. {@link #currentTime}: {@code UTC_TIMESTAMP(6)}, the start of the current statement.
 * Stateless and thread-safe.
 */
public final class MariaDbDialect implements ConsolidatedDialect {
    private static final IdentifierQuoter QUOTER = IdentifierQuoter.backticks(64);

    private final MariaDbValueCodec values = new MariaDbValueCodec();
    private final MariaDbTracking tracking = new MariaDbTracking(QUOTER);

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public String quote(String identifier) {
        return QUOTER.quote(identifier);
    }

    @Override
    public String nativeType(ColumnDef column) {
        return MariaDbTypeMapping.nativeType(column);
    }

    @Override
    public String placeholder(ColumnDef column) {
        return values.placeholder(column);
    }

    @Override
    public void bind(PreparedStatement ps, int index, ColumnDef column, Object canonical) throws SQLException {
        values.bind(ps, index, column, canonical);
    }

    @Override
    public Object read(ResultSet rs, int index, ColumnDef column) throws SQLException {
        return values.read(rs, index, column);
    }

    @Override
    public SqlFailure classify(SQLException e) {
        return MariaDbFailureClassifier.classify(e);
    }

    @Override
    public List<TableDef> readSchema(Connection c, List<String> only) throws SQLException {
        return new JdbcSchemaReader(MariaDbTypeMapping.load(c, QUOTER)).read(c, only);
    }

    @Override
    public void installTracking(Connection c, TableDef table, String shadow, String triggerPrefix) throws SQLException {
        tracking.install(c, table, shadow, triggerPrefix);
    }

    @Override
    public void removeTracking(Connection c, TableDef table, String shadow, String triggerPrefix) throws SQLException {
        tracking.remove(c, triggerPrefix);
    }

    @Override
    public Instant currentTime(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT UTC_TIMESTAMP(6)")) {
            rs.next();
            return rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }
    }

    @Override
    public void setLockTimeout(Connection c, Duration timeout) throws SQLException {
        // innodb_lock_wait_timeout counts whole seconds and has a minimum of 1; round up so we never wait less.
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION innodb_lock_wait_timeout = " + seconds);
        }
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/" + name();
    }

    /** UTC session time zone and strict mode added to whatever sql_mode the server has. */
    @Override
    public String connectionInitSql() {
        return "SET time_zone = '+00:00', sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), 'STRICT_ALL_TABLES')";
    }

    /** Without server-side prepared statements the driver sends FLOAT values with about 6 significant digits. */
    @Override
    public java.util.Map<String, String> driverProperties() {
        return java.util.Map.of("useServerPrepStmts", "true");
    }
}
