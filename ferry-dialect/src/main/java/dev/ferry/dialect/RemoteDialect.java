package dev.ferry.dialect;

import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A database that can be a remote: SQLite, H2. See docs/STATE-TABLES.md for the tracking tables and
 * the row-state machine every implementation must follow exactly (a shared contract test checks it).
 */
public interface RemoteDialect extends Dialect {
    /**
     * The dialect for a new remote of {@code schema}, before {@link #createTable}. On a remote,
     * {@link #quote} renders the name of the local table or column that stands for the server's one,
     * which may differ from it (H2 creates plain lower-case names in upper case, docs/SCHEMAS.md);
     * {@link #installTracking} records the choice in the remote. Default: this dialect.
     */
    default RemoteDialect forNewRemote(SyncSchema schema) {
        return this;
    }

    /** The dialect for the existing remote behind {@code c}, naming its tables as it recorded at creation. Default: this dialect. */
    default RemoteDialect forExistingRemote(Connection c) throws SQLException {
        return this;
    }

    /**
     * Creates the application table: columns, primary key, foreign keys to other synced tables, and for
     * each {@linkplain dev.ferry.core.schema.ColumnDef#padded() padded} key column a CHECK that refuses a
     * value ending in a space (the consolidated database would take it for the key without the spaces).
     */
    void createTable(Connection c, TableDef table) throws SQLException;

    /**
     * Creates every table of {@code schema}, parents first, with all their foreign keys, the
     * cycle-closing ones included ({@link SyncSchema#closing}, issue 13). The default creates each
     * table whole ({@link #createTable}), for a database that lets a table reference one not created yet.
     */
    default void createTables(Connection c, SyncSchema schema) throws SQLException {
        for (TableDef t : schema.tables()) {
            createTable(c, t);
        }
    }

    /**
     * The foreign keys the remote database declares on {@code table}, columns in key order (names as
     * the database reports them, possibly empty): how a remote learns, after its creation, which rows
     * are on a foreign-key cycle ({@code ferry_column} does not record keys).
     */
    List<ForeignKeyDef> foreignKeys(Connection c, String table) throws SQLException;

    /**
     * Creates Ferry's remote system tables ({@code ferry_state}, {@code ferry_pending},
     * {@code ferry_column}) and, for each table, the triggers that record every write made while
     * {@code ferry_state.applying = 0}, plus the {@code ferry_row_state} view.
     */
    void installTracking(Connection c, SyncSchema schema) throws SQLException;

    /**
     * A schema upgrade adds {@code column} to the application table {@code table}. NOT NULL only with a
     * constant default: the rows already there get their values from the full download that follows.
     * Does nothing when the column is there already (an upgrade tried again after H2 committed part of it).
     */
    void addColumn(Connection c, TableDef table, ColumnDef column) throws SQLException;

    /**
     * A schema upgrade drops a column the server no longer synchronizes; false, leaving it, when the
     * database refuses (an index, key or constraint uses it): the column then stays, unsynchronized.
     */
    boolean dropColumn(Connection c, TableDef table, String column) throws SQLException;

    /** The remote's key ranges (docs/SCHEMAS.md, "Keys created offline"). */
    RemoteKeyRanges keyRanges();

    /**
     * Brings the tracking of an existing remote up to date with its tables as they are now, for
     * {@code tables} in schema order: for instance a UNIQUE index the application added since, which
     * decides what an {@code INSERT OR REPLACE} deletes, or triggers made by an older Ferry. Cheap when
     * nothing changed; runs in the caller's transaction. Returns true when it changed something.
     */
    default boolean refreshTracking(Connection c, List<TableDef> tables) throws SQLException {
        return false;
    }

    /** Insert-or-update of a full row by primary key: parameters are the columns in table order. */
    String upsertSql(TableDef table);

    /**
     * SQL expression that yields the {@code ferry_pending.pk} text for key values bound with
     * {@link #bindKey}; e.g. {@code json_array(?, ?)}.
     */
    String keyTextSql(TableDef table);

    /** Binds canonical key values for {@link #keyTextSql}; returns the next parameter index. */
    int bindKey(PreparedStatement ps, int index, TableDef table, Object[] key) throws SQLException;

    /**
     * True when other connections can still commit writes to rows while a download transaction is
     * open and has written (row-level locking, as in H2); false when the download's first write locks
     * every other writer out until it commits (SQLite). With row locks, a local change can be committed
     * between the download's look at {@code ferry_pending} and its write, so the download checks again
     * after writing and undoes its write if a local change appeared.
     */
    default boolean localWritesInterleaveWithDownloads() {
        return false;
    }

    /**
     * {@code select} (a query with a WHERE clause) made to read the tables again at every execution:
     * a repeated execution with the same parameters must see what other connections committed since,
     * in particular the transaction the caller's last write waited for. Unchanged where the database
     * always reads again.
     */
    default String readAgainAtEveryExecution(String select) {
        return select;
    }

    /**
     * Takes the next {@code ferry_pending.change_seq} from the same counter the tracking triggers use,
     * for an entry Ferry writes itself: a value of its own could equal the one a later trigger hands
     * out, and settling would then take a changed row for an unchanged one.
     */
    long nextChangeSeq(Connection c) throws SQLException;

    /**
     * Commits the connection's transaction so that it is on stable storage when this returns: it
     * survives the process being killed, or the machine losing power, right after. Ferry uses it for
     * every commit the protocol relies on (the sent marks before an upload leaves, the settled upload,
     * the download before its acknowledgement, a reset, a download file); see docs/GUARANTEES.md.
     */
    default void commitDurably(Connection c) throws SQLException {
        c.commit();
    }

    /**
     * True when opening the database failed because another process has it open and the database
     * allows one process only (an embedded H2 file), rather than because it is damaged or unreadable.
     */
    default boolean inUseByAnotherProcess(SQLException e) {
        return false;
    }

    /** Opens the connection-level settings a remote needs (foreign keys on, busy timeout...). */
    default void configure(Connection c) throws SQLException {
    }
}
