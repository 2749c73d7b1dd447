package dev.ferry.dialect.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * The DDL of a shadow table as docs/STATE-TABLES.md specifies it: the key columns (same names,
 * native types), {@code ferry_op CHAR(1) NOT NULL}, {@code ferry_position BIGINT NULL},
 * {@code ferry_origin VARCHAR(255) NULL} (the remote whose upload made the last change, NULL for any other
 * writer: the download's echo filter), primary key on the key columns and an index on {@code ferry_position}. Both statements are idempotent
 * ({@code IF NOT EXISTS}, which PostgreSQL, MariaDB and H2 all accept), so an existing shadow table
 * and its stamps survive a restart.
 */
public final class ShadowTableDdl {
    /** One key column: its name and the native type to declare it with. */
    public record KeyColumn(String name, String nativeType) {
    }

    private ShadowTableDdl() {
    }

    /**
     * @param qualifiedShadow the shadow table, already quoted (and schema-qualified if wanted)
     * @param tableOptions    appended after the closing parenthesis (e.g. MariaDB's ENGINE), may be empty
     */
    public static String createTable(IdentifierQuoter q, String qualifiedShadow, List<KeyColumn> keys, String tableOptions) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualifiedShadow).append(" (");
        List<String> keyNames = new ArrayList<>();
        for (KeyColumn k : keys) {
            sql.append(q.quote(k.name())).append(' ').append(k.nativeType()).append(" NOT NULL, ");
            keyNames.add(q.quote(k.name()));
        }
        sql.append(q.quote("ferry_op")).append(" CHAR(1) NOT NULL, ")
                .append(q.quote("ferry_position")).append(" BIGINT NULL, ")
                .append(q.quote("ferry_origin")).append(" VARCHAR(255) NULL, ")
                .append("PRIMARY KEY (").append(String.join(", ", keyNames)).append("))");
        return sql.append(tableOptions).toString();
    }

    /**
     * Adds {@code ferry_origin} to a shadow table made before it existed (issue 12); idempotent, and a
     * no-op on a table {@link #createTable} just made.
     */
    public static String addOriginColumn(IdentifierQuoter q, String qualifiedShadow) {
        return "ALTER TABLE " + qualifiedShadow + " ADD COLUMN IF NOT EXISTS " + q.quote("ferry_origin") + " VARCHAR(255) NULL";
    }

    /**
     * The holdings table of a partitioned table (docs/PARTITIONS.md): which keys each remote was sent, as
     * held or not, at which download position; primary key (remote_id, key columns), so the download's
     * lookups by remote and key are index-backed. Idempotent like the shadow table.
     */
    public static String createHoldingsTable(IdentifierQuoter q, String qualified, List<KeyColumn> keys, String tableOptions) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualified).append(" (")
                .append(q.quote("remote_id")).append(" VARCHAR(255) NOT NULL, ");
        List<String> keyNames = new ArrayList<>();
        keyNames.add(q.quote("remote_id"));
        for (KeyColumn k : keys) {
            sql.append(q.quote(k.name())).append(' ').append(k.nativeType()).append(" NOT NULL, ");
            keyNames.add(q.quote(k.name()));
        }
        sql.append(q.quote("ferry_held")).append(" SMALLINT NOT NULL, ")
                .append(q.quote("ferry_position")).append(" BIGINT NOT NULL, ")
                .append("PRIMARY KEY (").append(String.join(", ", keyNames)).append("))");
        return sql.append(tableOptions).toString();
    }

    /** The index (remote_id, ferry_position) of a holdings table: a remote's unknown and purgeable holdings by range. */
    public static String createHoldingsPositionIndex(IdentifierQuoter q, String holdings, String qualified) {
        return "CREATE INDEX IF NOT EXISTS " + q.quote(holdings + "_pos") + " ON " + qualified + " (" + q.quote("remote_id") + ", "
                + q.quote("ferry_position") + ")";
    }

    /** The index on ferry_position, named {@code <shadow>_pos} (index names are per schema on PostgreSQL and H2). */
    public static String createPositionIndex(IdentifierQuoter q, String shadow, String qualifiedShadow) {
        return "CREATE INDEX IF NOT EXISTS " + q.quote(shadow + "_pos") + " ON " + qualifiedShadow + " (" + q.quote("ferry_position") + ")";
    }
}
