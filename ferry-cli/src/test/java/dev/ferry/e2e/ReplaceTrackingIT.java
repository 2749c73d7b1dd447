package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 3, end to end: an application's {@code INSERT OR REPLACE} through the real
 * {@code sqlite3} shell (default settings, no {@code recursive_triggers}) of a synced row reaches the
 * server as an update, not as an insert of an existing key that server-wins would discard, and from
 * there another remote. A REPLACE that removes a row conflicting on a UNIQUE index the application
 * added reaches them as that row's delete. The tracking is decided on the remote, so one consolidated
 * database (PostgreSQL) is enough.
 */
class ReplaceTrackingIT extends SessionScenarioBase {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Test
    void insertOrReplaceOfASyncedRowBySqlite3ReachesTheServerAndAnotherRemote() throws Exception {
        FerryServer server = startServer();
        RemoteFixture a = remote(server, "shop-a");
        RemoteFixture b = remote(server, "shop-b");
        sync(a);
        sync(b);

        a.app("INSERT OR REPLACE INTO customer VALUES (1, 'Ada R.', '99.00');");
        assertThat(a.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("[1]", "updated"));
        Cli.Result up = sync(a);
        assertThat(counts(up, "customer")).containsExactly(1L, 0L, 0L, 0L);
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada R.,99.00", "2,Grace,19.99"));
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_conflict")).as("an update, not an insert of an existing key")
                .containsExactly(List.of("0"));

        Cli.Result down = sync(b);
        assertThat(counts(down, "customer")).containsExactly(0L, 1L, 0L, 0L);
        assertThat(b.query(CUSTOMERS)).isEqualTo(cons.query(CUSTOMERS));
        assertConverged(a);
        assertConverged(b);
    }

    @Test
    void insertOrReplaceThatRemovesARowConflictingOnAUniqueIndexDeletesItOnTheServerAndAnotherRemote() throws Exception {
        FerryServer server = startServer();
        RemoteFixture a = remote(server, "shop-a");
        RemoteFixture b = remote(server, "shop-b");
        sync(a);
        sync(b);

        // The application's own index, created without Ferry knowing, then a REPLACE over it before any sync.
        a.app("CREATE UNIQUE INDEX customer_name ON customer (name); INSERT OR REPLACE INTO customer VALUES (3, 'Grace', '5.00');");
        assertThat(a.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced' ORDER BY pk"))
                .containsExactly(List.of("[2]", "deleted"), List.of("[3]", "inserted"));
        sync(a);
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada,120.50", "3,Grace,5.00"));

        // And again after the sync re-created the triggers with the index.
        a.app("INSERT OR REPLACE INTO customer VALUES (4, 'Ada', '1.00');");
        sync(a);
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("3,Grace,5.00", "4,Ada,1.00"));

        sync(b);
        assertThat(b.query(CUSTOMERS)).isEqualTo(cons.query(CUSTOMERS));
        assertConverged(a);
        assertConverged(b);
    }
}
