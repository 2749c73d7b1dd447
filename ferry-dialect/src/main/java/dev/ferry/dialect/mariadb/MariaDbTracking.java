package dev.ferry.dialect.mariadb;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.jdbc.IdentifierQuoter;
import dev.ferry.dialect.jdbc.ShadowTableDdl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Installs and removes the shadow table and row triggers of one table (docs/STATE-TABLES.md).
 *
 * <p>Three triggers, {@code <prefix>_ins}, {@code <prefix>_upd}, {@code <prefix>_del}, each created
 * with {@code CREATE OR REPLACE TRIGGER}, which swaps the trigger under the table's metadata lock:
 * re-installing never leaves a moment without a trigger, nor a second copy. A key change is detected
 * with {@code <=>} on every key column. Every update is recorded, no-op updates included: comparing
 * whole rows in SQL would follow the columns' collations and miss case-only changes.
 *
 * <p>The shadow key columns copy the base table's exact column type, character set and collation
 * from {@code information_schema}, so the shadow table compares keys exactly as the base table does
 * (a case-insensitive base key stays case-insensitive) and fits the same index limits.
 *
 * <p>MariaDB limitations the caller must know: triggers do not fire for changes made by foreign-key
 * actions (ON DELETE CASCADE, ON UPDATE SET NULL...); creating triggers needs the TRIGGER privilege
 * and, with binary logging on, SUPER or {@code log_bin_trust_function_creators=1}.
 */
final class MariaDbTracking {
    private final IdentifierQuoter q;

    MariaDbTracking(IdentifierQuoter q) {
        this.q = q;
    }

    void install(Connection c, TableDef table, String shadow, String prefix) throws SQLException {
        String qShadow = q.quote(shadow);
        String qTable = q.quote(table.name());
        List<ShadowTableDdl.KeyColumn> keys = exactKeyTypes(c, table);
        try (Statement s = c.createStatement()) {
            s.execute(ShadowTableDdl.createTable(q, qShadow, keys, " ENGINE=InnoDB"));
            s.execute(ShadowTableDdl.addOriginColumn(q, qShadow));
            s.execute(ShadowTableDdl.createPositionIndex(q, shadow, qShadow));
            s.execute("CREATE OR REPLACE TRIGGER " + q.quote(prefix + "_ins") + " AFTER INSERT ON " + qTable
                    + " FOR EACH ROW " + upsert(table, qShadow, "NEW", "I"));
            s.execute("CREATE OR REPLACE TRIGGER " + q.quote(prefix + "_upd") + " AFTER UPDATE ON " + qTable
                    + " FOR EACH ROW BEGIN IF " + keyChanged(table) + " THEN "
                    + upsert(table, qShadow, "OLD", "D") + "; " + upsert(table, qShadow, "NEW", "I") + "; ELSE "
                    + upsert(table, qShadow, "NEW", "U") + "; END IF; END");
            s.execute("CREATE OR REPLACE TRIGGER " + q.quote(prefix + "_del") + " AFTER DELETE ON " + qTable
                    + " FOR EACH ROW " + upsert(table, qShadow, "OLD", "D"));
        }
    }

    void installHoldings(Connection c, TableDef table, String holdings) throws SQLException {
        String qualified = q.quote(holdings);
        try (Statement s = c.createStatement()) {
            s.execute(ShadowTableDdl.createHoldingsTable(q, qualified, exactKeyTypes(c, table), " ENGINE=InnoDB"));
            s.execute(ShadowTableDdl.createHoldingsPositionIndex(q, holdings, qualified));
        }
    }

    void remove(Connection c, String prefix) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String suffix : List.of("_ins", "_upd", "_del")) {
                s.execute("DROP TRIGGER IF EXISTS " + q.quote(prefix + suffix));
            }
        }
    }

    private String keyChanged(TableDef table) {
        List<String> same = new ArrayList<>();
        for (String k : table.primaryKey()) {
            same.add("OLD." + q.quote(k) + " <=> NEW." + q.quote(k));
        }
        return "NOT (" + String.join(" AND ", same) + ")";
    }

    private String upsert(TableDef table, String qShadow, String row, String op) {
        List<String> cols = new ArrayList<>();
        List<String> vals = new ArrayList<>();
        for (String k : table.primaryKey()) {
            cols.add(q.quote(k));
            vals.add(row + "." + q.quote(k));
        }
        return "INSERT INTO " + qShadow + " (" + String.join(", ", cols) + ", " + q.quote("ferry_op") + ", "
                + q.quote("ferry_position") + ") VALUES (" + String.join(", ", vals) + ", '" + op + "', NULL)"
                + " ON DUPLICATE KEY UPDATE " + q.quote("ferry_op") + " = '" + op + "', " + q.quote("ferry_position") + " = NULL, "
                + q.quote("ferry_origin") + " = NULL";
    }

    private List<ShadowTableDdl.KeyColumn> exactKeyTypes(Connection c, TableDef table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME "
                + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    if (rs.getString(3) != null) {
                        type += " CHARACTER SET " + rs.getString(3) + " COLLATE " + rs.getString(4);
                    }
                    if (type.toLowerCase(Locale.ROOT).startsWith("timestamp")) {
                        // An explicit DEFAULT stops MariaDB (explicit_defaults_for_timestamp=OFF) from making the
                        // first TIMESTAMP column ON UPDATE CURRENT_TIMESTAMP, which would rewrite the key on upsert.
                        type += " DEFAULT '2000-01-01 00:00:00'";
                    }
                    types.put(rs.getString(1), type);
                }
            }
        }
        List<ShadowTableDdl.KeyColumn> keys = new ArrayList<>();
        for (String k : table.primaryKey()) {
            String type = types.get(k);
            if (type == null) {
                throw new FerryException(ErrorCode.SCHEMA_MISMATCH, "table " + table.name() + " has no key column " + k
                        + " in the consolidated database");
            }
            keys.add(new ShadowTableDdl.KeyColumn(k, type));
        }
        return keys;
    }
}
