package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, defect 13: a PostgreSQL primary key with {@code INCLUDE} columns was read as a wider key
 * (pgjdbc 42.7.4), so a remote's table got the wider key and the foreign key of a child table
 * pointing at it no longer matched a key: SQLite failed every write to the child ("foreign key
 * mismatch"), H2 refused to create it. Synced end to end, the remotes get the real key and working
 * foreign keys.
 */
class PostgresIncludedKeyColumnsIT {
    private RunningFerry ferry;

    @BeforeEach
    void start() throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.postgres());
        cons.jdbc("CREATE TABLE parent (id INTEGER, name TEXT NOT NULL, PRIMARY KEY (id) INCLUDE (name))");
        cons.jdbc("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id), note TEXT)");
        cons.jdbc("INSERT INTO parent VALUES (1, 'one'), (2, 'two')");
        cons.jdbc("INSERT INTO child VALUES (10, 1, 'of one')");
        ferry = RunningFerry.start(cons, null, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        if (ferry != null) {
            ferry.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "h2"})
    void aKeyWithIncludeColumnsReachesRemotesAsItsKeyColumnsAndTheirForeignKeysHold(String remoteKind) throws Exception {
        RemoteFixture a = ferry.remote(remoteKind, "site-a");
        Cli.Result first = RunningFerry.sync(a);
        assertThat(SyncScenarios.counts(first, "child")).containsExactly(0L, 1L, 0L, 0L);
        assertThat(a.query("SELECT col FROM ferry_column WHERE tbl = 'parent' AND key_position IS NOT NULL")).containsExactly(List.of("id"));
        assertThat(a.query("SELECT c.id, p.name FROM child c JOIN parent p ON p.id = c.parent_id")).containsExactly(List.of("10", "one"));

        // The remote's foreign key works: a child of an existing parent is accepted, one of a missing parent refused.
        a.app("INSERT INTO child VALUES (11, 2, 'of two');");
        assertThatThrownBy(() -> a.app("INSERT INTO child VALUES (12, 99, 'orphan');")).hasMessageContaining("FOREIGN KEY");
        Cli.Result up = RunningFerry.sync(a);
        assertThat(SyncScenarios.counts(up, "child")).containsExactly(1L, 0L, 0L, 0L);
        assertThat(ferry.cons.query("SELECT id, parent_id FROM child ORDER BY id")).containsExactly(List.of("10", "1"), List.of("11", "2"));

        // A parent renamed on the server is one row on the remote (the name is not part of its key).
        ferry.cons.client("UPDATE parent SET name = 'two (renamed)' WHERE id = 2");
        RunningFerry.sync(a);
        assertThat(a.query("SELECT id, name FROM parent ORDER BY 1")).containsExactly(List.of("1", "one"), List.of("2", "two (renamed)"));
    }
}
