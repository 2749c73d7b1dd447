package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: a partitioned PostgreSQL table synchronizes as one table, its parent, with its key; rows
 * reach every partition from remotes and from the server, and a row moved to another partition (a key
 * change, since the partition column is in the key) reaches the remotes as one row gone and one new.
 */
class PostgresPartitionedTableIT {
    @Test
    void aPartitionedTableSyncsAsItsParentBothWays() throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.postgres());
        cons.jdbc("CREATE TABLE reading (id BIGINT, region INTEGER, v TEXT, PRIMARY KEY (id, region)) PARTITION BY LIST (region)");
        cons.jdbc("CREATE TABLE reading_north PARTITION OF reading FOR VALUES IN (1)");
        cons.jdbc("CREATE TABLE reading_south PARTITION OF reading FOR VALUES IN (2)");
        cons.jdbc("INSERT INTO reading VALUES (1, 1, 'n1'), (2, 2, 's2')");
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote("sqlite", "site-a");
            RunningFerry.sync(r);
            assertThat(r.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'reading%'")).containsExactly(List.of("reading"));
            assertThat(r.query("SELECT id, region, v FROM reading ORDER BY id")).containsExactly(List.of("1", "1", "n1"), List.of("2", "2", "s2"));

            r.app("INSERT INTO reading (id, region, v) VALUES (3, 2, 'from the site')");
            r.app("UPDATE reading SET v = 'n1 edited' WHERE id = 1");
            cons.client("UPDATE reading SET region = 1 WHERE id = 2");
            cons.client("INSERT INTO reading_south VALUES (4, 2, 'straight into a partition')");
            RunningFerry.sync(r);

            assertThat(cons.query("SELECT tableoid::regclass::text, id, region, v FROM reading ORDER BY id")).containsExactly(
                    List.of("reading_north", "1", "1", "n1 edited"), List.of("reading_north", "2", "1", "s2"),
                    List.of("reading_south", "3", "2", "from the site"), List.of("reading_south", "4", "2", "straight into a partition"));
            assertThat(r.query("SELECT id, region, v FROM reading ORDER BY id")).containsExactly(List.of("1", "1", "n1 edited"),
                    List.of("2", "1", "s2"), List.of("3", "2", "from the site"), List.of("4", "2", "straight into a partition"));
        }
    }
}
