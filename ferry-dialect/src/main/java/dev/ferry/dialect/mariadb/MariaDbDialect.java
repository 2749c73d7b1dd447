package dev.ferry.dialect.mariadb;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.ColumnChoice;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.LockWaitLimit;
import dev.ferry.dialect.ReservedKeys;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.dialect.jdbc.RestoredSessionLockWait;
import dev.ferry.dialect.jdbc.ClaimedCounterReservation;
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
 * foreign-key cascades. {@link #lockWaitLimit} sets {@code innodb_lock_wait_timeout}, whole seconds,
 * at least 1, and restores the session's value afterwards ({@link RestoredSessionLockWait}).
 * {@link #currentTime}: {@code UTC_TIMESTAMP(6)}, the start of the current statement.
 * {@link #beginSnapshotRead}: REPEATABLE READ started {@code WITH CONSISTENT SNAPSHOT}.
 * Stateless and thread-safe.
 */
public final class MariaDbDialect implements ConsolidatedDialect {
    private static final IdentifierQuoter QUOTER = IdentifierQuoter.backticks(64);
    /**
     * Which columns the database fills itself; the query {@link JdbcSchemaReader} documents.
     * MariaDB reports VIRTUAL, PERSISTENT and STORED generated columns as {@code IS_GENERATED = 'ALWAYS'}
     * and has no GENERATED ALWAYS identity (AUTO_INCREMENT takes explicit values).
     */
    private static final String GENERATED_COLUMNS = "SELECT COLUMN_NAME, IS_GENERATED, 'NO', NULL"
            + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?";

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
    public SchemaReading readSchemaReport(Connection c, List<String> only, ColumnChoice choice) throws SQLException {
        return new JdbcSchemaReader(MariaDbTypeMapping.load(c, QUOTER), GENERATED_COLUMNS).report(c, only, choice);
    }

    @Override
    public void installTracking(Connection c, TableDef table, String shadow, String triggerPrefix) throws SQLException {
        tracking.install(c, table, shadow, triggerPrefix);
    }

    /**
     * MariaDB's AUTO_INCREMENT counter, read from information_schema (current for InnoDB) and moved by
     * {@code ALTER TABLE ... AUTO_INCREMENT}, which waits for the transactions writing the table; an
     * uploaded row with a key below the counter leaves it alone, so the server's keys stay above every block.
     */
    @Override
    public ReservedKeys reserveKeys(Connection c, TableDef table, long size, Duration lockWait) throws SQLException {
        return ClaimedCounterReservation.reserve(c, table, quote(table.name()), quote(table.keyColumns().get(0).name()), size, counter(table, lockWait));
    }

    @Override
    public void checkKeyRanges(Connection c, TableDef table) throws SQLException {
        ClaimedCounterReservation.check(c, table, counter(table, Duration.ZERO));
    }

    private ClaimedCounterReservation.Counter counter(TableDef table, Duration lockWait) {
        String key = table.keyColumns().get(0).name();
        return new ClaimedCounterReservation.Counter() {
            @Override
            public Long next(Connection conn) throws SQLException {
                try (PreparedStatement ps = conn.prepareStatement("SELECT t.AUTO_INCREMENT FROM information_schema.TABLES t"
                        + " JOIN information_schema.COLUMNS k ON k.TABLE_SCHEMA = t.TABLE_SCHEMA AND k.TABLE_NAME = t.TABLE_NAME"
                        + " WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_NAME = ? AND k.COLUMN_NAME = ? AND k.EXTRA LIKE '%auto_increment%'")) {
                    ps.setString(1, table.name());
                    ps.setString(2, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                }
            }

            @Override
            public void moveTo(Connection conn, long next) throws SQLException {
                try (Statement s = conn.createStatement()) {
                    // Per statement (MariaDB's SET STATEMENT): the metadata lock wait is bounded and nothing stays on the pooled connection.
                    s.execute("SET STATEMENT lock_wait_timeout = " + Math.max(1, lockWait.toSeconds()) + " FOR ALTER TABLE " + quote(table.name()) + " AUTO_INCREMENT = " + next);
                }
            }
        };
    }

    @Override
    public void installHoldings(Connection c, TableDef table, String holdings) throws SQLException {
        tracking.installHoldings(c, table, holdings);
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
    public LockWaitLimit lockWaitLimit(Connection c, Duration timeout) throws SQLException {
        // Whole seconds, at least 1, rounded up so we never wait less than asked. SET STATEMENT ... FOR would
        // have to wrap every statement of an upload, so the session variable is set and written back.
        return new RestoredSessionLockWait(c, "SELECT @@SESSION.innodb_lock_wait_timeout", "SET SESSION innodb_lock_wait_timeout = ",
                Math.max(1, (timeout.toMillis() + 999) / 1000));
    }

    /**
     * REPEATABLE READ, and the snapshot taken now with {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}
     * rather than at the first read: InnoDB's read view then covers every table the transaction reads.
     */
    @Override
    public void beginSnapshotRead(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement()) {
            s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
        }
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/" + name();
    }

    /** Never needed: MariaDB has no GENERATED ALWAYS identity, and AUTO_INCREMENT takes explicit values. */
    @Override
    public String overridingSystemValue() {
        throw new UnsupportedOperationException("MariaDB has no GENERATED ALWAYS identity columns");
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
