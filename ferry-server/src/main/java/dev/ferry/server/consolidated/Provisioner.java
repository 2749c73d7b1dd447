package dev.ferry.server.consolidated;

import dev.ferry.core.schema.ColumnChoice;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the consolidated database ready to synchronize: reads the schema, leaves out or refuses what
 * Ferry cannot sync ({@link SchemaCheck}: unsupported types, foreign-key cycles), registers each table in {@code ferry_table} and
 * installs its shadow table and triggers. Idempotent: running it on every server start is safe, and
 * several servers starting together converge on the same registrations.
 */
public final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    private final ConsolidatedDatabase db;

    public Provisioner(ConsolidatedDatabase db) {
        this.db = db;
    }

    /** @param only table names to synchronize, or empty for every table with a primary key */
    public Tracking provision(List<String> only) {
        return provision(only, ColumnChoice.ALL);
    }

    /** @param only table names to synchronize, or empty for every table with a primary key; {@code choice} their columns */
    public Tracking provision(List<String> only, ColumnChoice choice) {
        ConsolidatedDialect dialect = db.dialect();
        try (Connection c = db.connection()) {
            SyncSchema schema = SyncSchema.of(SchemaCheck.accepted(SchemaCheck.read(c, dialect, only, choice), only));
            Map<String, TrackedTable> tracked = new LinkedHashMap<>();
            for (TableDef t : schema.tables()) {
                int id = register(c, t.name());
                String shadow = "ferry_chg_" + id;
                dialect.installTracking(c, t, shadow, "ferry_trg_" + id);
                tracked.put(t.name(), new TrackedTable(t, id, shadow));
            }
            removeUntracked(c, dialect, tracked.keySet());
            LOG.info("synchronizing {} tables: {}", tracked.size(), tracked.keySet());
            return new Tracking(schema, tracked);
        } catch (SQLException e) {
            throw SqlErrors.wrap("provisioning change tracking", dialect, e);
        }
    }

    /**
     * A table provisioned before and not synchronized now (taken out of {@code sync.tables}, dropped,
     * refused) loses its triggers, shadow table and holdings, so its writes cost nothing any more. Taken
     * back in, it is provisioned afresh, and the schema version of its remotes changes with it, so they
     * download it whole (docs/SCHEMAS.md, "Schema changes"): no change made while it was out is missed.
     * Every server of a database must run the same table list: a start with a shorter one removes the
     * tracking the others rely on.
     */
    private void removeUntracked(Connection c, ConsolidatedDialect dialect, java.util.Set<String> tracked) throws SQLException {
        Map<Integer, String[]> gone = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT table_id, table_name, shadow_name FROM ferry_table")) {
            while (rs.next()) {
                if (!tracked.contains(rs.getString(2))) {
                    gone.put(rs.getInt(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        for (Map.Entry<Integer, String[]> e : gone.entrySet()) {
            String name = e.getValue()[0];
            // Removing triggers needs only the table's name; its columns may be unreadable now (the reason it is out).
            TableDef byName = new TableDef(name, List.of(dev.ferry.core.schema.ColumnDef.of("key", dev.ferry.core.schema.FerryType.TEXT, false)),
                    List.of("key"), List.of());
            try {
                dialect.removeTracking(c, byName, e.getValue()[1], "ferry_trg_" + e.getKey());
            } catch (SQLException ex) {
                // A table dropped from the database took its triggers with it.
                LOG.debug("table {}: no triggers to remove: {}", name, ex.getMessage());
            }
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + dialect.quote(e.getValue()[1]));
                s.execute("DROP TABLE IF EXISTS " + dialect.quote("ferry_held_" + e.getKey()));
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_table WHERE table_id = ?")) {
                ps.setInt(1, e.getKey());
                ps.executeUpdate();
            }
            LOG.info("table {} is no longer synchronized: its change tracking was removed", name);
        }
    }

    private int register(Connection c, String table) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            Integer id = lookup(c, table);
            if (id != null) {
                return id;
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(table_id), 0) + 1 FROM ferry_table")) {
                rs.next();
                int next = rs.getInt(1);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO ferry_table (table_id, table_name, shadow_name, provisioned_at) VALUES (?, ?, ?, ?)")) {
                    ps.setInt(1, next);
                    ps.setString(2, table);
                    ps.setString(3, "ferry_chg_" + next);
                    ps.setObject(4, LocalDateTime.now(ZoneOffset.UTC));
                    ps.executeUpdate();
                    return next;
                }
            } catch (SQLException e) {
                // Another server registered a table at the same moment; read again.
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    private static Integer lookup(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT table_id FROM ferry_table WHERE table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }
}
