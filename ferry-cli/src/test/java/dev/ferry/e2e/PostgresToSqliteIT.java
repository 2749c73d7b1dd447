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
