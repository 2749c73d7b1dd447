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
            LOG.info("synchronizing {} tables: {}", tracked.size(), tracked.keySet());
            return new Tracking(schema, tracked);
        } catch (SQLException e) {
            throw SqlErrors.wrap("provisioning change tracking", dialect, e);
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
