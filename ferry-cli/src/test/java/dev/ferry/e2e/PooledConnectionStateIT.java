package dev.ferry.e2e;

import dev.ferry.server.config.ServerConfig;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 8: the upload's lock timeout stayed on the pooled connection for its next user. After
 * syncs that upload (lock-wait limit, READ COMMITTED) and download (snapshot isolation), every connection
 * of the server's pool has what a plain new connection with default settings has: the database's own
 * lock timeout and isolation level, auto-commit on. The pool is as small as the configuration allows
 * (2) and both connections are borrowed at once, so the one the syncs used is among them.
 */
class PooledConnectionStateIT {
    @Test
    void syncsLeaveNoSessionSettingOnPooledPostgresConnections() throws Exception {
        assertPoolConnectionsAreAsNew("postgresql");
    }

    @Test
    void syncsLeaveNoSessionSettingOnPooledMariaDbConnections() throws Exception {
        assertPoolConnectionsAreAsNew("mariadb");
    }

    @Test
    void syncsLeaveNoSessionSettingOnPooledH2Connections() throws Exception {
        assertPoolConnectionsAreAsNew("h2");
    }

    private static void assertPoolConnectionsAreAsNew(String kind) throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.create(kind));
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50)");
        Map<String, String> defaults;
        try (Connection plain = cons.db.connect()) {
            defaults = sessionState(kind, plain);
        }
        // 7 s is nobody's default lock timeout, so a limit left behind shows.
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of(ServerConfig.POOL_SIZE.key(), "2",
                ServerConfig.LOCK_TIMEOUT.key(), "7"))) {
            RemoteFixture remote = ferry.remote("sqlite", "pool-a");
            RunningFerry.sync(remote);
            remote.app("UPDATE customer SET name = 'Ada L.' WHERE id = 1");
            RunningFerry.sync(remote);
            cons.jdbc("UPDATE customer SET balance = 99.95 WHERE id = 1");
            RunningFerry.sync(remote);
            assertThat(cons.query("SELECT name, balance FROM customer")).containsExactly(List.of("Ada L.", "99.95"));

            List<Connection> borrowed = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    borrowed.add(ferry.server.database().connection());
                }
                for (Connection c : borrowed) {
                    assertThat(sessionState(kind, c)).as("a pooled connection after the syncs").isEqualTo(defaults);
                }
            } finally {
                for (Connection c : borrowed) {
                    c.close();
                }
            }
        }
    }

    /** What a sync could leave on a session, read from the database itself. */
    private static Map<String, String> sessionState(String kind, Connection c) throws SQLException {
        Map<String, String> state = new LinkedHashMap<>();
        switch (kind) {
            case "postgresql" -> {
                state.put("lock timeout", single(c, "SHOW lock_timeout"));
                state.put("isolation", single(c, "SHOW transaction_isolation"));
                // The origin the capture triggers tag an upload's rows with (PostgresDialect.setWriteOrigin).
                state.put("write origin", single(c, "SELECT coalesce(current_setting('ferry.origin', true), '')"));
            }
            case "mariadb" -> {
                state.put("lock timeout", single(c, "SELECT @@SESSION.innodb_lock_wait_timeout"));
                state.put("isolation", single(c, "SELECT @@SESSION.tx_isolation"));
            }
            default -> {
                state.put("lock timeout", single(c, "SELECT LOCK_TIMEOUT()"));
                state.put("isolation", single(c, "SELECT ISOLATION_LEVEL FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()"));
            }
        }
        state.put("auto-commit", String.valueOf(c.getAutoCommit()));
        return state;
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
