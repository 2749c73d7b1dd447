package dev.ferry.dialect.postgres;

import dev.ferry.core.schema.ColumnChoice;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.LockWaitLimit;
import dev.ferry.dialect.ReservedKeys;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.dialect.jdbc.IdentifierQuoter;
import dev.ferry.dialect.jdbc.JdbcSchemaReader;
import dev.ferry.dialect.jdbc.TableListing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL (12 or later; tested on 15) as the consolidated database.
 *
 * <ul>
 *   <li>Schema: the tables of {@code current_schema()}; types as {@link PostgresTypeMapping} lists; primary
 *       keys from {@code pg_index} without {@code INCLUDE} columns ({@link PostgresPrimaryKeys}).</li>
 *   <li>Values: JDBC 4.2 objects; JSON is bound untyped so it fits json and jsonb (placeholder {@code ?}).</li>
 *   <li>Tracking: one PL/pgSQL function {@code <prefix>_fn} and trigger {@code <prefix>_row} per table,
 *       installed atomically (see {@link PostgresTracking}).</li>
 *   <li>{@link #lockWaitLimit}: {@code SET LOCAL lock_timeout}, which ends with the transaction
 *       ({@link PostgresLockWaitLimit}).</li>
 *   <li>{@link #currentTime}: {@code clock_timestamp()}, the wall clock, not the transaction start.</li>
 *   <li>{@link #beginSnapshotRead}: REPEATABLE READ, one snapshot for the whole transaction.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class PostgresDialect implements ConsolidatedDialect {
    /** NAMEDATALEN is 64 bytes including the terminator; longer names are silently truncated by the server, so refuse them. */
    private static final IdentifierQuoter QUOTER = IdentifierQuoter.doubleQuotesBytes(63);
    /** Which columns the database fills itself; the query {@link JdbcSchemaReader} documents. */
    private static final String GENERATED_COLUMNS = "SELECT column_name, is_generated, is_identity, identity_generation"
            + " FROM information_schema.columns WHERE table_schema = current_schema AND table_name = ?";

    private final PostgresValueCodec values = new PostgresValueCodec();
    private final PostgresTracking tracking = new PostgresTracking(QUOTER);
    private final PostgresKeyReservation keys = new PostgresKeyReservation(QUOTER);

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String quote(String identifier) {
        return QUOTER.quote(identifier);
    }

    @Override
    public String nativeType(ColumnDef column) {
        return PostgresTypeMapping.nativeType(column);
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
        return PostgresFailureClassifier.classify(e);
    }

    /**
     * A partitioned table synchronizes as one table, its parent: rows and triggers go through it
     * (PostgreSQL clones the parent's row triggers onto every partition), and its partitions are never
     * listed on their own.
     */
    private static final TableListing TABLES = new TableListing(Set.of("TABLE", "PARTITIONED TABLE"),
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relispartition AND n.nspname = current_schema()");

    @Override
    public SchemaReading readSchemaReport(Connection c, List<String> only, ColumnChoice choice) throws SQLException {
        return new JdbcSchemaReader(PostgresTypeMapping.load(c, QUOTER), GENERATED_COLUMNS, new PostgresPrimaryKeys(), TABLES).report(c, only, choice);
    }

    @Override
    public void installTracking(Connection c, TableDef table, String shadow, String triggerPrefix) throws SQLException {
        tracking.install(c, table, shadow, triggerPrefix);
    }

    @Override
    public ReservedKeys reserveKeys(Connection c, TableDef table, long size, Duration lockWait) throws SQLException {
        return keys.reserve(c, table, size, lockWait);
    }

    @Override
    public void checkKeyRanges(Connection c, TableDef table) throws SQLException {
        keys.check(c, table);
    }

    @Override
    public void installHoldings(Connection c, TableDef table, String holdings) throws SQLException {
        tracking.installHoldings(c, table, holdings);
    }

    @Override
    public void bindFilterParameter(java.sql.PreparedStatement ps, int index, String value) throws SQLException {
        ps.setObject(index, value, java.sql.Types.OTHER);
    }

    @Override
    public void removeTracking(Connection c, TableDef table, String shadow, String triggerPrefix) throws SQLException {
        tracking.remove(c, table, triggerPrefix);
    }

    @Override
    public Instant currentTime(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    @Override
    public LockWaitLimit lockWaitLimit(Connection c, Duration timeout) {
        return new PostgresLockWaitLimit(c, timeout);
    }

    /** REPEATABLE READ is a true snapshot in PostgreSQL, taken at the transaction's first statement. */
    @Override
    public void beginSnapshotRead(Connection c) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    }

    /**
     * The trigger reads the transaction-local {@code ferry.origin} setting and tags only at trigger
     * depth 1, i.e. rows written by the transaction's own statements: an FK cascade or another trigger
     * writes at depth 2 or more, and those rows are not what the remote uploaded.
     */
    @Override
    public boolean tagsOriginInTriggers() {
        return true;
    }

    @Override
    public void setWriteOrigin(Connection c, String origin) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('" + PostgresTracking.ORIGIN_SETTING + "', ?, true)")) {
            ps.setString(1, origin);
            ps.execute();
        }
    }

    @Override
    public String valuesCast(ColumnDef column) {
        return PostgresTypeMapping.unconstrainedType(column);
    }

    /** Checked with two sessions: the subquery skips a row another transaction holds, and the UPDATE then never touches it. */
    @Override
    public boolean stampsInOneStatement() {
        return true;
    }

    /**
     * {@code reWriteBatchedInserts}: pgjdbc sends a batch of single-row INSERTs as multi-row INSERTs, a
     * few statements instead of one per row (the upload's inserts, issue 12). Per-row results do not
     * depend on it: a failed batch is replayed row by row under savepoints.
     */
    @Override
    public java.util.Map<String, String> driverProperties() {
        return java.util.Map.of("reWriteBatchedInserts", "true");
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/" + name();
    }
}
