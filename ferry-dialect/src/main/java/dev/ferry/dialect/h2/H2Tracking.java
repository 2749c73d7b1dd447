package dev.ferry.dialect.h2;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.jdbc.IdentifierQuoter;
import dev.ferry.dialect.jdbc.ShadowTableDdl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs and removes the shadow table and the {@link H2ShadowTrigger} of one table in the
 * connection's current schema. The trigger is named {@code <prefix>_row$<shadow>} and created with
 * {@code IF NOT EXISTS}: H2 commits around every DDL statement, so DROP then CREATE would leave a
 * window in which writes are not captured, and an existing trigger of that name is by construction
 * the same trigger (same class, same shadow table, key positions resolved at run time).
 */
final class H2Tracking {
    private final IdentifierQuoter q;

    H2Tracking(IdentifierQuoter q) {
        this.q = q;
    }

    void install(Connection c, TableDef table, String shadow, String prefix) throws SQLException {
        String qSchema = q.quote(c.getSchema());
        String qShadow = qSchema + "." + q.quote(shadow);
        List<ShadowTableDdl.KeyColumn> keys = new ArrayList<>();
        for (ColumnDef k : table.keyColumns()) {
            keys.add(new ShadowTableDdl.KeyColumn(k.name(), H2TypeMapping.nativeType(k)));
        }
        try (Statement s = c.createStatement()) {
            s.execute(ShadowTableDdl.createTable(q, qShadow, keys, ""));
            s.execute(ShadowTableDdl.addOriginColumn(q, qShadow));
            padShadowKeys(c, table, shadow, qShadow);
            s.execute(ShadowTableDdl.createPositionIndex(q, shadow, qShadow));
            s.execute("CREATE TRIGGER IF NOT EXISTS " + qSchema + "." + q.quote(triggerName(prefix, shadow))
                    + " AFTER INSERT, UPDATE, DELETE ON " + qSchema + "." + q.quote(table.name())
                    + " FOR EACH ROW CALL '" + H2ShadowTrigger.class.getName() + "'");
        }
    }

    void installHoldings(Connection c, TableDef table, String holdings) throws SQLException {
        String qualified = q.quote(c.getSchema()) + "." + q.quote(holdings);
        List<ShadowTableDdl.KeyColumn> keys = new ArrayList<>();
        for (ColumnDef k : table.keyColumns()) {
            keys.add(new ShadowTableDdl.KeyColumn(k.name(), H2TypeMapping.nativeType(k)));
        }
        try (Statement s = c.createStatement()) {
            s.execute(ShadowTableDdl.createHoldingsTable(q, qualified, keys, ""));
            s.execute(ShadowTableDdl.createHoldingsPositionIndex(q, holdings, qualified));
        }
    }

    /**
     * Shadow tables created before issue 10 declared a CHARACTER(n) key as CHARACTER VARYING(n), which
     * keeps the padding ('ab   ') while the stamper now looks rows up by the unpadded key ('ab') and would
     * never find them. Such a column gets the padding type once; the values stay as they are.
     */
    private void padShadowKeys(Connection c, TableDef table, String shadow, String qShadow) throws SQLException {
        for (ColumnDef k : table.keyColumns()) {
            if (!k.padded() || k.length() == null) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
                ps.setString(1, c.getSchema());
                ps.setString(2, shadow);
                ps.setString(3, k.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getString(1).equals("CHARACTER VARYING")) {
                        continue;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE " + qShadow + " ALTER COLUMN " + q.quote(k.name()) + " SET DATA TYPE " + H2TypeMapping.nativeType(k));
            }
        }
    }

    void remove(Connection c, String shadow, String prefix) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS " + q.quote(c.getSchema()) + "." + q.quote(triggerName(prefix, shadow)));
        }
    }

    private String triggerName(String prefix, String shadow) {
        if (shadow.indexOf('$') >= 0) {
            // H2ShadowTrigger finds its shadow table after the last '$' of its name.
            throw new FerryException(ErrorCode.CONFIG_INVALID, "shadow table name '" + shadow + "' must not contain '$' on H2");
        }
        String name = H2ShadowTrigger.triggerName(prefix, shadow);
        q.validate(name);
        return name;
    }
}
