package dev.ferry.dialect.h2;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an H2 remote calls the server's tables and columns (issue 13). H2 folds an unquoted identifier
 * to upper case, so an application's {@code SELECT first_name FROM customer} reads
 * {@code CUSTOMER.FIRST_NAME}; PostgreSQL and MariaDB spell the same names in lower case. A remote
 * made by this version ({@link #UPPER}) therefore creates a plain lower-case server name (ASCII letters,
 * digits and underscores, not starting with a digit, not an H2 keyword) in upper case, the name the
 * application's unquoted SQL reaches; every other name (mixed case, spaces, keywords, upper case
 * already) is created exactly as the server spells it, and the application quotes it as on the server.
 * Remotes made before ({@link #EXACT}) created every name exactly as the server spells it, and keep it.
 *
 * <p>The wire, {@code ferry_table}, {@code ferry_column} and {@code ferry_pending.tbl} keep the
 * server's names; only SQL on the remote's own tables uses these. Which naming a remote uses is
 * recorded in {@code ferry_state.identifier_case} ({@code upper}; absent or {@code exact} in remotes
 * made before), because H2 keeps no setting that could make the application's connection fold
 * otherwise (CASE_INSENSITIVE_IDENTIFIERS is not stored in the database file). Immutable.
 */
enum H2RemoteNames {
    /** Every name exactly as the server spells it, quoted: remotes made before issue 13. */
    EXACT("exact"),
    /** Plain lower-case names as H2 folds them when unquoted; the others exactly. */
    UPPER("upper");

    private static final Pattern PLAIN_LOWER = Pattern.compile("[a-z_][a-z0-9_]*");

    /**
     * H2 2.3's keywords (org.h2.util.ParserUtil): such a name must be quoted in any SQL, so folding it
     * would help no application. Kept here rather than asked of the H2 on the class path, so that a
     * later H2 with more keywords cannot change what an existing remote calls its tables.
     */
    private static final Set<String> KEYWORDS = Set.of(
            "ALL", "AND", "ANY", "ARRAY", "AS", "ASYMMETRIC", "AUTHORIZATION", "BETWEEN", "BOTH", "CASE", "CAST",
            "CHECK", "CONSTRAINT", "CROSS", "CURRENT_CATALOG", "CURRENT_DATE", "CURRENT_PATH", "CURRENT_ROLE",
            "CURRENT_SCHEMA", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "DAY", "DEFAULT", "DISTINCT",
            "ELSE", "END", "EXCEPT", "EXISTS", "FALSE", "FETCH", "FOR", "FOREIGN", "FROM", "FULL", "GROUP", "GROUPS",
            "HAVING", "HOUR", "IF", "ILIKE", "IN", "INNER", "INTERSECT", "INTERVAL", "IS", "JOIN", "KEY", "LEADING",
            "LEFT", "LIKE", "LIMIT", "LOCALTIME", "LOCALTIMESTAMP", "MINUS", "MINUTE", "MONTH", "NATURAL", "NOT",
            "NULL", "OFFSET", "ON", "OR", "ORDER", "OVER", "PARTITION", "PRIMARY", "QUALIFY", "RANGE", "REGEXP",
            "RIGHT", "ROW", "ROWNUM", "ROWS", "SECOND", "SELECT", "SESSION_USER", "SET", "SOME", "SYMMETRIC",
            "SYSTEM_USER", "TABLE", "TO", "TOP", "TRAILING", "TRUE", "UESCAPE", "UNION", "UNIQUE", "UNKNOWN", "USER",
            "USING", "VALUE", "VALUES", "WHEN", "WHERE", "WINDOW", "WITH", "YEAR", "_ROWID_");

    /** The value of {@code ferry_state.identifier_case} for this naming. */
    private final String recorded;

    H2RemoteNames(String recorded) {
        this.recorded = recorded;
    }

    /** The name of the local table or column that stands for the server's {@code serverName}. */
    String local(String serverName) {
        if (this == UPPER && serverName != null && PLAIN_LOWER.matcher(serverName).matches()) {
            String upper = serverName.toUpperCase(Locale.ROOT);
            if (!KEYWORDS.contains(upper)) {
                return upper;
            }
        }
        return serverName;
    }

    /**
     * The naming for a new remote of {@code tables}: {@link #UPPER}, unless it would give two tables,
     * or two columns of one table, the same local name (a server with both {@code customer} and
     * {@code "CUSTOMER"}): then {@link #EXACT}, under which every name stays distinct.
     */
    static H2RemoteNames forNewRemote(List<TableDef> tables) {
        Set<String> tableNames = new HashSet<>();
        for (TableDef t : tables) {
            Set<String> columnNames = new HashSet<>();
            boolean distinct = tableNames.add(UPPER.local(t.name()));
            for (ColumnDef c : t.columns()) {
                distinct &= columnNames.add(UPPER.local(c.name()));
            }
            if (!distinct) {
                return EXACT;
            }
        }
        return UPPER;
    }

    /** The naming the remote behind {@code c} recorded; {@link #EXACT} for remotes made before names were recorded. */
    static H2RemoteNames read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_NAME = 'FERRY_STATE' AND COLUMN_NAME = 'IDENTIFIER_CASE'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return EXACT;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT identifier_case FROM ferry_state WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && UPPER.recorded.equals(rs.getString(1)) ? UPPER : EXACT;
        }
    }

    /** Records this naming in {@code ferry_state}, whose row must exist (the column is added if it is missing). */
    void record(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE ferry_state ADD COLUMN IF NOT EXISTS identifier_case VARCHAR");
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_state SET identifier_case = ? WHERE id = 1")) {
            ps.setString(1, recorded);
            ps.executeUpdate();
        }
    }
}
