package dev.ferry.dialect.h2;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.ColumnChoice;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.LockWaitLimit;
import dev.ferry.dialect.ReservedKeys;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.dialect.jdbc.RestoredSessionLockWait;
import dev.ferry.dialect.jdbc.IdentifierQuoter;
import dev.ferry.dialect.jdbc.JdbcSchemaReader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * H2 2.x as the consolidated database (for tests, demos and small single-machine setups).
 *
 * <ul>
 *   <li>Schema: the tables of the connection's current schema; names exactly as stored, which for
 *       unquoted DDL is UPPER case. Types as {@link H2TypeMapping} describes.</li>
 *   <li>Values: JDBC 4.2; JSON uses the placeholder {@code ? FORMAT JSON} ({@link H2ValueCodec}).</li>
 *   <li>Tracking: the Java trigger {@link H2ShadowTrigger}, one per table, named
 *       {@code <prefix>_row$<shadow>}; the ferry-dialect jar must be on the H2 engine's class path
 *       (automatic when embedded; an H2 TCP server needs it too).</li>
 *   <li>{@link #skipLockedClause()}: {@code FOR UPDATE SKIP LOCKED} works on H2 2.3 (verified by the
 *       tests: rows locked or inserted by an open transaction are skipped).</li>
 *   <li>{@link #currentTime}: the start of the executing statement from
 *       {@code INFORMATION_SCHEMA.SESSIONS}, not {@code CURRENT_TIMESTAMP}, which H2 keeps fixed for the
 *       whole transaction.</li>
 *   <li>{@link #beginSnapshotRead}: SNAPSHOT isolation (H2's REPEATABLE READ snapshots table by table).</li>
 *   <li>{@link #lockWaitLimit}: {@code SET LOCK_TIMEOUT}, milliseconds, for the session, restored
 *       afterwards ({@link RestoredSessionLockWait}).</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class H2ConsolidatedDialect implements ConsolidatedDialect {
    /** H2's default MAX_IDENTIFIER_LENGTH. */
    private static final IdentifierQuoter QUOTER = IdentifierQuoter.doubleQuotesChars(256);
    /** Which columns the database fills itself; the query {@link JdbcSchemaReader} documents. */
    private static final String GENERATED_COLUMNS = "SELECT column_name, is_generated, is_identity, identity_generation"
            + " FROM INFORMATION_SCHEMA.COLUMNS WHERE table_schema = CURRENT_SCHEMA AND table_name = ?";

    private final H2ValueCodec values = new H2ValueCodec();
    private final H2Tracking tracking = new H2Tracking(QUOTER);

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public String quote(String identifier) {
        return QUOTER.quote(identifier);
    }

    @Override
    public String nativeType(ColumnDef column) {
        return H2TypeMapping.nativeType(column);
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
        return H2FailureClassifier.classify(e);
    }

    @Override
    public SchemaReading readSchemaReport(Connection c, List<String> only, ColumnChoice choice) throws SQLException {
        return new JdbcSchemaReader(H2TypeMapping.load(c, QUOTER), GENERATED_COLUMNS).report(c, only, choice);
    }

    @Override
    public void installTracking(Connection c, TableDef table, String shadow, String triggerPrefix) throws SQLException {
        tracking.install(c, table, shadow, triggerPrefix);
    }

    @Override
    public ReservedKeys reserveKeys(Connection c, TableDef table, long size, Duration lockWait) throws SQLException {
        return H2KeyReservation.reserve(c, table, quote(table.name()), quote(table.keyColumns().get(0).name()), size);
    }

    @Override
    public void checkKeyRanges(Connection c, TableDef table) throws SQLException {
        H2KeyReservation.check(c, table);
    }

    @Override
    public void installHoldings(Connection c, TableDef table, String holdings) throws SQLException {
        tracking.installHoldings(c, table, holdings);
    }

    @Override
    public void removeTracking(Connection c, TableDef table, String shadow, String triggerPrefix) throws SQLException {
        tracking.remove(c, shadow, triggerPrefix);
    }

    @Override
    public Instant currentTime(Connection c) throws SQLException {
        // Every user may read its own session row; the value is the engine's clock when this SELECT started.
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT EXECUTING_STATEMENT_START FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant().truncatedTo(ChronoUnit.MICROS);
        }
    }

    @Override
    public LockWaitLimit lockWaitLimit(Connection c, Duration timeout) throws SQLException {
        // Milliseconds, kept for the session (a URL's ;LOCK_TIMEOUT= included) until written back.
        return new RestoredSessionLockWait(c, "SELECT LOCK_TIMEOUT()", "SET LOCK_TIMEOUT ", Math.max(0, timeout.toMillis()));
    }

    /**
     * H2's SNAPSHOT isolation. Its REPEATABLE READ is not enough: it takes each table's snapshot when the
     * transaction first reads that table (with the tables tied to it by declared foreign keys), so rows
     * committed between the reads of two tables showed up in the second only (issue 10, defect 9). Set
     * through JDBC so the pool resets it.
     */
    @Override
    public void beginSnapshotRead(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(org.h2.engine.Constants.TRANSACTION_SNAPSHOT);
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/" + name();
    }
}
