package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: a constant default of the consolidated table is the remote table's default too, so a plain
 * INSERT that names only some columns behaves on the remote as on the server: the row holds the
 * defaults locally and uploads them. A default the remote cannot evaluate the same way (a function such
 * as {@code CURRENT_DATE}) is not declared there: the column stays NULL locally (docs/SCHEMAS.md).
 */
class RemoteDefaultsIT {
    @ParameterizedTest
    @CsvSource({"postgresql, sqlite", "mariadb, h2", "postgresql, h2", "mariadb, sqlite"})
    void aPlainInsertOnTheRemoteTakesTheServersConstantDefaults(String consolidated, String remote) throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(consolidated.equals("postgresql") ? TestDatabases.postgres() : TestDatabases.mariadb());
        boolean pg = consolidated.equals("postgresql");
        cons.jdbc("CREATE TABLE ticket (id INTEGER PRIMARY KEY, status VARCHAR(10) NOT NULL DEFAULT 'new', priority INTEGER NOT NULL DEFAULT 3,"
                + " done BOOLEAN NOT NULL DEFAULT FALSE, cost DECIMAL(6,2) DEFAULT 9.99, due DATE DEFAULT '2030-01-01',"
                + (pg ? " opened DATE DEFAULT CURRENT_DATE" : " opened DATE DEFAULT (CURRENT_DATE)") + ", note VARCHAR(20))"
                + (pg ? "" : " ENGINE=InnoDB"));
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote(remote, "site-" + remote);
            RunningFerry.sync(r);
            boolean h2 = remote.equals("h2");
            r.app("INSERT INTO ticket (id, note) VALUES (1, 'leak')");
            assertThat(r.query("SELECT status, priority, done, cost, due, opened FROM ticket")).containsExactly(java.util.Arrays.asList("new", "3", h2 ? "FALSE" : "0", "9.99", "2030-01-01", null));

            RunningFerry.sync(r);
            assertThat(cons.query("SELECT status, priority, cost, due, note FROM ticket"))
                    .containsExactly(List.of("new", "3", "9.99", "2030-01-01", "leak"));
            assertThat(cons.query(pg ? "SELECT done::text FROM ticket" : "SELECT done FROM ticket")).containsExactly(List.of(pg ? "false" : "0"));
        }
    }
}
