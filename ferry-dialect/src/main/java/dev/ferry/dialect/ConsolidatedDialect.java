package dev.ferry.dialect;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnChoice;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A database that can be the consolidated side: PostgreSQL, MariaDB, H2. See docs/STATE-TABLES.md
 * for the shadow tables and triggers every implementation installs.
 */
public interface ConsolidatedDialect extends Dialect {
    /**
     * Reads the user tables of the connection's current schema (or only {@code only}, when non-null,
     * in which case a missing name is {@code TABLE_NOT_FOUND}). Tables without a primary key are
     * skipped when listing all, refused when named. Ferry's own tables ({@code ferry_*},
     * {@code flyway_*}) are never returned. An unsupported column type is {@code SCHEMA_UNSUPPORTED_TYPE}
     * naming table, column and native type; a text key column whose collation ignores case or accents
     * is {@code SCHEMA_KEY_COLLATION} naming table, column and collation. Foreign keys are reported only
     * between returned tables; a primary key's {@code INCLUDE} columns are not part of it.
     */
    default List<TableDef> readSchema(Connection c, List<String> only) throws SQLException {
        SchemaReading r = readSchemaReport(c, only, ColumnChoice.ALL);
        if (!r.refusals().isEmpty()) {
            throw r.refusals().get(0).toException();
        }
        return r.tables();
    }

    /**
     * What {@link #readSchema} reads, with every problem collected instead of the first thrown: each
     * refused table (a column type, its key, a missing name) is a {@link dev.ferry.core.schema.SchemaRefusal}
     * and is left out whole, foreign keys to it are dropped, and tables without a primary key are listed
     * when listing all. Columns {@code choice} leaves out are not read (their type does not matter);
     * a choice naming no such column, or leaving out a key or a NOT NULL column without default, is a
     * refusal ({@code CONFIG_INVALID}). Nothing is written.
     */
    SchemaReading readSchemaReport(Connection c, List<String> only, ColumnChoice choice) throws SQLException;

    /**
     * Creates (idempotently) the shadow table {@code shadow} for {@code table} and the row triggers
     * that keep it current on every insert, update (including primary-key changes) and delete made
     * by any connection. Trigger and function names start with {@code triggerPrefix}. Re-running it
     * must replace the triggers, not duplicate them.
     */
    void installTracking(Connection c, TableDef table, String shadow, String triggerPrefix) throws SQLException;

    /** Removes the triggers (and functions) installed by {@link #installTracking}; the shadow table stays. */
    void removeTracking(Connection c, TableDef table, String shadow, String triggerPrefix) throws SQLException;

    /**
     * Creates (idempotently) the holdings table {@code holdings} of a partitioned {@code table}
     * ({@link dev.ferry.dialect.jdbc.ShadowTableDdl#createHoldingsTable}), its key columns typed and
     * collated exactly like the shadow table's.
     */
    void installHoldings(Connection c, TableDef table, String holdings) throws SQLException;

    /**
     * Binds a publication-filter parameter (docs/PARTITIONS.md). Parameters are stored as text; the
     * database must compare them with the column they meet (e.g. {@code region_id = ?} on an integer
     * column), so PostgreSQL binds them untyped.
     */
    default void bindFilterParameter(java.sql.PreparedStatement ps, int index, String value) throws SQLException {
        ps.setString(index, value);
    }

    /** The consolidated database's own clock, to the microsecond. */
    Instant currentTime(Connection c) throws SQLException;

    /**
     * A limit of {@code timeout} on row-lock waits of {@code c}'s transactions (the per-remote lock, the
     * upload's row locks), to {@link LockWaitLimit#apply() apply} in each transaction attempt and to
     * close when the work is done. Closing leaves the session's own setting as it found it: Ferry's
     * connections come from a pool, and a setting that outlived the work would reach the next user.
     */
    LockWaitLimit lockWaitLimit(Connection c, Duration timeout) throws SQLException;

    /**
     * Starts a read transaction on {@code c} (which must be in auto-commit mode) in which every read, of
     * every table, sees one snapshot of the database, so a download never holds a child row whose parent
     * it could not see (issue 10, defect 9). The caller commits or rolls back. Only JDBC's own
     * {@code setAutoCommit} and {@code setTransactionIsolation} may change session state here, because a
     * pool (HikariCP) resets exactly those when the connection is returned.
     */
    void beginSnapshotRead(Connection c) throws SQLException;

    /** The Flyway location of Ferry's system-table migrations for this database. */
    String migrationLocation();

    /**
     * One SQL statement every pooled connection runs when opened (e.g. MariaDB's
     * {@code SET time_zone = '+00:00'} so TIMESTAMP columns read as UTC), or null.
     */
    default String connectionInitSql() {
        return null;
    }

    /** JDBC driver properties every pooled connection needs for exact values (none by default). */
    default java.util.Map<String, String> driverProperties() {
        return java.util.Map.of();
    }

    /**
     * Reserves a block of {@code size} keys of {@code table} that its key generator (the sequence,
     * identity or AUTO_INCREMENT behind its one integer key column) has not issued and never will (moved
     * past it, or limited below it), and returns the block:
     * from then on neither the server's own inserts nor another reservation, by this server or another
     * one on the same database, get a key in it. Commits what it did on {@code c} (on some databases
     * moving a generator is DDL, which commits anyway), waiting at most {@code lockWait} for the locks
     * that takes, a setting that ends with the statement or transaction. Throws {@code KEY_RANGE_UNAVAILABLE}
     * when the key has no generator this database can move safely (docs/SCHEMAS.md, "Keys created offline").
     */
    default ReservedKeys reserveKeys(Connection c, TableDef table, long size, Duration lockWait) throws SQLException {
        throw new FerryException(ErrorCode.KEY_RANGE_UNAVAILABLE, "key ranges are not available on this consolidated database");
    }

    /** Throws what {@link #reserveKeys} would for a table that cannot take key ranges, reserving nothing; checked at start. */
    default void checkKeyRanges(Connection c, TableDef table) throws SQLException {
        throw new FerryException(ErrorCode.KEY_RANGE_UNAVAILABLE, "key ranges are not available on this consolidated database");
    }

    /**
     * What an INSERT says between its column list and {@code VALUES} to write explicit values into
     * {@code GENERATED ALWAYS} identity columns ({@link dev.ferry.core.schema.ColumnGeneration#IDENTITY_ALWAYS}):
     * standard SQL's {@code OVERRIDING SYSTEM VALUE}, which PostgreSQL and H2 understand.
     */
    default String overridingSystemValue() {
        return "OVERRIDING SYSTEM VALUE";
    }

    /**
     * Whether {@code UPDATE t ... WHERE k IN (SELECT k FROM t ... FOR UPDATE SKIP LOCKED)} leaves the rows
     * other transactions hold alone without waiting for them, so stamping is one statement per table.
     * PostgreSQL: yes; MariaDB's UPDATE waits on them (checked with two sessions), H2 is not relied on.
     */
    default boolean stampsInOneStatement() {
        return false;
    }

    /**
     * Whether the capture triggers tag the rows that the writing transaction's own statements write with
     * the origin set by {@link #setWriteOrigin} (docs/STATE-TABLES.md, "Echo"), leaving rows written by
     * cascades and other triggers untagged; then the server tags an upload's rows without rewriting
     * their shadow rows. False: the triggers always clear the tag, and the server writes it afterwards.
     */
    default boolean tagsOriginInTriggers() {
        return false;
    }

    /**
     * Sets (empty string: clears) the origin the capture triggers give the rows this transaction writes
     * from now on; transaction-local, so it ends with the transaction and rolls back with a savepoint.
     * Only called when {@link #tagsOriginInTriggers}.
     */
    default void setWriteOrigin(java.sql.Connection c, String origin) throws SQLException {
        throw new UnsupportedOperationException("the capture triggers of this database do not tag origins");
    }

    /**
     * The type a bound value of {@code column} is cast to in the rows of {@code UPDATE ... FROM (VALUES
     * ...)}, so many rows update in one statement; null (the default) when this database takes no such
     * statement, and updates go as a batch of single-row statements. Never a type with a length or a
     * scale: a cast to {@code varchar(n)} would cut a value the column's own assignment refuses.
     */
    default String valuesCast(ColumnDef column) {
        return null;
    }

    /** The suffix that makes a {@code SELECT ... FOR UPDATE} skip rows other transactions hold. */
    default String skipLockedClause() {
        return " FOR UPDATE SKIP LOCKED";
    }
}
