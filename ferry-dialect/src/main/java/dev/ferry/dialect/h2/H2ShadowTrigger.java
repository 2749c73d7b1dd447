package dev.ferry.dialect.h2;

import dev.ferry.dialect.jdbc.IdentifierQuoter;
import org.h2.api.Trigger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The H2 row trigger that keeps a shadow table current (docs/STATE-TABLES.md): INSERT upserts
 * {@code (NEW.key, 'I', NULL)}, DELETE {@code (OLD.key, 'D', NULL)}, an UPDATE that changes the key
 * {@code (OLD.key, 'D')} then {@code (NEW.key, 'I')}, any other update that changes a value
 * {@code (NEW.key, 'U')}; an update that changes nothing is not recorded. "Upsert" is H2's
 * {@code MERGE ... KEY}, which also resets {@code ferry_position} and {@code ferry_origin} to NULL. H2 runs it for every
 * session, in the writer's transaction.
 *
 * <p><b>How it finds its shadow table:</b> H2 hands a trigger only its own name, schema and table,
 * so the shadow table's name is encoded in the trigger name after the last {@code $}:
 * {@code <prefix>_row$<shadow>} (see {@link #triggerName}); shadow names therefore must not contain
 * {@code $}. (The last, not the first: while H2 copies a table for ALTER TABLE it prefixes the
 * trigger name with the table's temporary name, which may contain a {@code $}.) The key columns are the shadow table's columns other than {@code ferry_op},
 * {@code ferry_position} and {@code ferry_origin}, in order; the base table (the one whose Ferry trigger names this
 * shadow table, in {@code INFORMATION_SCHEMA.TRIGGERS}) and the key positions in its rows (by column name, in
 * {@code INFORMATION_SCHEMA.COLUMNS}) are looked up on the first firing, not in {@link #init}, which
 * H2 also calls while it is still opening the database or copying a table for ALTER TABLE, and
 * again whenever the row width changes.
 *
 * <p>Thread-safe: H2 shares one instance between sessions; the resolved plan is immutable.
 */
public final class H2ShadowTrigger implements Trigger {
    private static final String SEPARATOR = "_row$";
    private static final IdentifierQuoter QUOTER = IdentifierQuoter.doubleQuotesChars(256);

    private String schema;
    private String trigger;
    private String shadow;
    private volatile Plan plan;

    /** The name under which {@link H2Tracking} registers this trigger for a prefix and shadow table. */
    static String triggerName(String prefix, String shadow) {
        return prefix + SEPARATOR + shadow;
    }

    /** The shadow table a trigger name encodes, or null. */
    static String shadowOf(String triggerName) {
        int at = triggerName.lastIndexOf('$');
        return at < 0 || at == triggerName.length() - 1 ? null : triggerName.substring(at + 1);
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        String encoded = shadowOf(triggerName);
        if (encoded == null) {
            throw new SQLException("trigger " + triggerName + " does not name its shadow table after '$'");
        }
        this.schema = schemaName;
        this.trigger = triggerName;
        this.shadow = encoded;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        Plan p = plan(conn, (newRow != null ? newRow : oldRow).length);
        if (oldRow == null) {
            p.upsert(conn, newRow, "I");
        } else if (newRow == null) {
            p.upsert(conn, oldRow, "D");
        } else if (!p.sameKey(oldRow, newRow)) {
            p.upsert(conn, oldRow, "D");
            p.upsert(conn, newRow, "I");
        } else if (!Arrays.deepEquals(oldRow, newRow)) {
            p.upsert(conn, newRow, "U");
        }
    }

    private Plan plan(Connection conn, int width) throws SQLException {
        Plan p = plan;
        if (p == null || p.width != width) {
            p = resolve(conn);
            plan = p;
        }
        return p;
    }

    private Plan resolve(Connection conn) throws SQLException {
        String table = currentTable(conn);
        List<String> baseColumns = columns(conn, table);
        List<String> keys = new ArrayList<>(columns(conn, shadow));
        keys.removeAll(List.of("ferry_op", "ferry_position", "ferry_origin"));
        if (keys.isEmpty()) {
            throw new SQLException("Ferry shadow table " + schema + "." + shadow + " for " + table + " is missing or has no key columns");
        }
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < baseColumns.size(); i++) {
            position.put(baseColumns.get(i), i);
        }
        int[] idx = new int[keys.size()];
        List<String> quoted = new ArrayList<>();
        for (int i = 0; i < idx.length; i++) {
            Integer at = position.get(keys.get(i));
            if (at == null) {
                throw new SQLException("table " + table + " has no column " + keys.get(i) + " of Ferry shadow table " + shadow);
            }
            idx[i] = at;
            quoted.add(QUOTER.quote(keys.get(i)));
        }
        String cols = String.join(", ", quoted);
        String merge = "MERGE INTO " + QUOTER.quote(schema) + "." + QUOTER.quote(shadow) + " (" + cols + ", "
                + QUOTER.quote("ferry_op") + ", " + QUOTER.quote("ferry_position") + ", " + QUOTER.quote("ferry_origin") + ") KEY (" + cols + ") VALUES ("
                + "?, ".repeat(idx.length) + "?, NULL, NULL)";
        return new Plan(baseColumns.size(), idx, merge);
    }

    /**
     * The table this trigger is on, looked up now, by shadow table rather than by trigger name: for
     * ALTER TABLE, H2 copies the table and its triggers under temporary names
     * ({@code items_COPY_3_0_<trigger>}) and then renames them back, but the trigger instance keeps
     * the temporary names it was initialized with. The part after the last {@code $} survives that.
     */
    private String currentTable(Connection conn) throws SQLException {
        Set<String> tables = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM INFORMATION_SCHEMA.TRIGGERS "
                + "WHERE TRIGGER_SCHEMA = ? AND JAVA_CLASS = ?")) {
            ps.setString(1, schema);
            ps.setString(2, H2ShadowTrigger.class.getName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (shadow.equals(shadowOf(rs.getString(1)))) {
                        tables.add(rs.getString(2));
                    }
                }
            }
        }
        if (tables.size() != 1) {
            throw new SQLException("Ferry trigger " + schema + "." + trigger + ": expected one table tracked into " + shadow + ", found " + tables);
        }
        return tables.iterator().next();
    }

    private List<String> columns(Connection conn, String tableName) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, tableName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Key positions in the base row and the MERGE that upserts a shadow row. */
    private record Plan(int width, int[] keyIndexes, String merge) {
        boolean sameKey(Object[] a, Object[] b) {
            for (int i : keyIndexes) {
                if (!sameValue(a[i], b[i])) {
                    return false;
                }
            }
            return true;
        }

        void upsert(Connection conn, Object[] row, String op) throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement(merge)) {
                int p = 1;
                for (int i : keyIndexes) {
                    ps.setObject(p++, row[i]);
                }
                ps.setString(p, op);
                ps.executeUpdate();
            }
        }

        /** Key equality as the database sees it: 1.0 and 1.00 are the same NUMERIC key. */
        private static boolean sameValue(Object a, Object b) {
            if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
                return x.compareTo(y) == 0;
            }
            return Objects.deepEquals(a, b);
        }
    }
}
