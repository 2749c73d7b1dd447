package dev.ferry.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 2 scenarios: postgresql consolidated, sqlite remotes. */
class PostgresToSqliteIT extends SyncScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    String remoteKind() {
        return "sqlite";
    }

    /**
     * Issue 13: {@code TRUNCATE} fires no row trigger; Ferry's statement trigger makes it reach the remotes
     * as deletes, also for the tables a {@code CASCADE} empties, and rows inserted after it arrive as usual.
     */
    @Test
    void aTruncateOnTheConsolidatedDatabaseEmptiesTheRemotesTablesToo() throws Exception {
        cons.client("INSERT INTO orders (id, customer_id, note) VALUES (10, 1, 'first'), (11, 2, 'second')");
        cons.client("INSERT INTO order_line (order_id, line_no, qty) VALUES (10, 1, 3)");
        RemoteFixture a = remote("shop-truncate");
        sync(a);
        assertThat(remoteRows(a, "order_line", "order_id")).hasSize(1);

        cons.client("TRUNCATE customer CASCADE");
        cons.client("INSERT INTO customer (id, name, balance) VALUES (9, 'Niklaus', 1.00)");
        sync(a);
        assertThat(remoteRows(a, "customer", "id, name")).containsExactly(java.util.List.of("9", "Niklaus"));
        assertThat(remoteRows(a, "orders", "id")).isEmpty();
        assertThat(remoteRows(a, "order_line", "order_id")).isEmpty();
    }

    /** {@code --password -} reads FERRY_PASSWORD, as every other command's does (the bench found init ignored it). */
    @Test
    void remoteInitTakesThePasswordFromTheEnvironmentWhenGivenADash(@TempDir Path logs) throws Exception {
        RemoteFixture r = uninitializedRemote("shop-env");
        String[] init = {"remote", "init", "--db", r.dbArg(), "--server", serverUrl, "--remote-id", "shop-env", "--user", RunningFerry.USER,
                "--password", "-"};
        try (ChildJvm child = ChildJvm.start(logs.resolve("init.log"), Map.of("FERRY_PASSWORD", RunningFerry.PASSWORD), init)) {
            assertThat(child.waitFor(120)).as(child::output).isZero();
        }
        sync(r);
        assertThat(remoteRows(r, "customer", "id")).hasSize(2);
        try (ChildJvm unset = ChildJvm.start(logs.resolve("unset.log"), Map.of("FERRY_PASSWORD", ""), init)) {
            assertThat(unset.waitFor(120)).isEqualTo(2);
            assertThat(unset.output()).contains("FERRY_PASSWORD is not set");
        }
    }
}
