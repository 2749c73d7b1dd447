package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 15: a stalled server must not hang a sync forever (holding the remote's sync lock).
 * A server that accepts the connection and never answers, and one that stops in the middle of the
 * download, each fail the sync within the configured read timeout with the retriable
 * TRANSPORT_FAILED (exit 11); the remote is as before, its sync lock is free, and the next sync
 * works. A slow download that keeps arriving outlasts the read timeout and succeeds: the timeout
 * counts silence, not the whole transfer. The faults come from {@link FaultyProxy} between the remote
 * and a real server on PostgreSQL.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // the defect itself is a hang: fail instead of hanging the build
class StalledServerIT extends SessionScenarioBase {
    private static final String STATE = "SELECT progress, pending_upload, last_download FROM ferry_state";
    private static final String PENDING = "SELECT pk, state FROM ferry_row_state WHERE state <> 'synced' ORDER BY pk";
    private FaultyProxy proxy;

    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @AfterEach
    void closeProxy() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    private RemoteFixture remoteBehindProxy(String... initFlags) throws Exception {
        FerryServer server = startServer();
        proxy = new FaultyProxy(server.port());
        RemoteFixture a = track(new RemoteFixture("sqlite", "shop-a"));
        List<String> init = new java.util.ArrayList<>(List.of("remote", "init", "--db", a.dbArg(), "--server", proxy.url(),
                "--remote-id", "shop-a", "--user", "alice", "--password", "s3cret"));
        init.addAll(List.of(initFlags));
        ok(Cli.run(init.toArray(String[]::new)));
        sync(a);
        return a;
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersFailsTheSyncWithinTheReadTimeoutAsRetriableAndTheNextSyncWorks() throws Exception {
        RemoteFixture a = remoteBehindProxy();
        a.app("UPDATE customer SET name = 'Ada L.' WHERE id = 1;");
        List<List<String>> consolidated = cons.query(CUSTOMERS);
        String downloadedBefore = a.query("SELECT last_download FROM ferry_state").get(0).get(0);

        proxy.swallowNextConnection();
        Cli.Result stalled = Cli.run("remote", "sync", "--db", a.dbArg(), "--read-timeout", "1");

        assertThat(stalled.exitCode()).as(stalled.all()).isEqualTo(11);
        assertThat(stalled.err()).contains("error: TRANSPORT_FAILED").contains("did not answer within the read timeout of 1000 ms")
                .contains("--read-timeout");
        assertThat(proxy.faultsInjected.get()).isEqualTo(1);
        assertThat(cons.query(CUSTOMERS)).as("the server never saw the upload").isEqualTo(consolidated);
        assertThat(a.query(PENDING)).as("the change is still pending").containsExactly(List.of("[1]", "updated"));
        assertThat(a.query(STATE)).as("progress and download position as before; the upload marked as sent, as it is before any send")
                .containsExactly(Arrays.asList("1", "2", downloadedBefore));

        Cli.Result next = sync(a);
        assertThat(counts(next, "customer").get(0)).isEqualTo(1L);
        assertThat(cons.query(CUSTOMERS)).isEqualTo(rows("1,Ada L.,120.50", "2,Grace,19.99"));
        assertConverged(a);
    }

    /**
     * 8000 new consolidated rows, a download of about 300 kB. Another remote's sync stamps them first, so
     * the server has nothing slow left to do before it streams them: any silence is the proxy's.
     */
    private void eightThousandNewCustomersStamped() throws Exception {
        cons.jdbc("INSERT INTO customer (id, name, balance) SELECT g, 'customer ' || md5(g::text), g FROM generate_series(100, 8099) g");
        sync(remote(servers().get(0), "shop-b"));
    }

    @Test
    void aServerThatStallsInTheMiddleOfTheDownloadFailsTheSyncAsRetriableAndLeavesTheRemoteAsItWas() throws Exception {
        RemoteFixture a = remoteBehindProxy();
        eightThousandNewCustomersStamped();
        List<List<String>> before = a.query(CUSTOMERS);
        String download = "SELECT last_download, last_download_time, applying FROM ferry_state";
        List<List<String>> downloadState = a.query(download);

        // Headers and the first part of the gzip body arrive, then nothing.
        proxy.stallResponseAfter(4096);
        Cli.Result stalled = Cli.run("remote", "sync", "--db", a.dbArg(), "--read-timeout", "2");

        assertThat(stalled.exitCode()).as(stalled.all()).isEqualTo(11);
        assertThat(stalled.err()).contains("error: TRANSPORT_FAILED").contains("sent nothing for 2000 ms in the middle of its answer");
        assertThat(proxy.stalled.get()).isTrue();
        assertThat(a.query(CUSTOMERS)).as("nothing of the download applied").isEqualTo(before);
        assertThat(a.query(download)).as("the download position as before").isEqualTo(downloadState);

        Cli.Result next = sync(a);
        assertThat(counts(next, "customer")).containsExactly(0L, 8000L, 0L, 0L);
        assertConverged(a);
    }

    @Test
    void aSlowDownloadThatKeepsArrivingOutlastsTheReadTimeoutAndSucceeds() throws Exception {
        RemoteFixture a = remoteBehindProxy();
        eightThousandNewCustomersStamped();

        proxy.throttleNextResponse(4096, 100);
        Cli.Result slow = Cli.run("remote", "sync", "--db", a.dbArg(), "--read-timeout", "3");

        assertThat(slow.exitCode()).as(slow.all()).isZero();
        assertThat(proxy.throttledMillis.get()).as("the transfer took longer than the read timeout").isGreaterThan(3000);
        assertThat(counts(slow, "customer")).containsExactly(0L, 8000L, 0L, 0L);
        assertConverged(a);
    }

    @Test
    void theReadTimeoutFromTheEnvironmentOverridesTheStoredOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path logs) throws Exception {
        RemoteFixture a = remoteBehindProxy("--read-timeout", "3600");

        proxy.swallowNextConnection();
        try (ChildJvm child = ChildJvm.start(logs.resolve("sync.log"), java.util.Map.of("FERRY_READ_TIMEOUT", "1"), "remote", "sync", "--db", a.dbArg())) {
            assertThat(child.waitFor(PATIENCE.toSeconds())).as(child.output()).isEqualTo(11);
            assertThat(child.output()).contains("error: TRANSPORT_FAILED").contains("read timeout of 1000 ms");
        }
        sync(a);
        assertConverged(a);
    }

    @Test
    void timeoutFlagsAreStoredByInitValidatedAndSetThroughTheJavaApi() throws Exception {
        RemoteFixture a = remoteBehindProxy("--connect-timeout", "5", "--read-timeout", "7", "--busy-wait", "3");
        assertThat(a.query("SELECT name, value FROM ferry_setting WHERE name LIKE '%_ms' ORDER BY name"))
                .containsExactly(List.of("busy_wait_ms", "3000"), List.of("connect_timeout_ms", "5000"), List.of("read_timeout_ms", "7000"));

        Cli.Result negative = Cli.run("remote", "sync", "--db", a.dbArg(), "--busy-wait=-1");
        assertThat(negative.exitCode()).as(negative.all()).isEqualTo(2);
        assertThat(negative.err()).contains("error: USAGE").contains("--busy-wait must be a whole number of seconds from 0 to 86400, not -1");

        Cli.Result zero = Cli.run("remote", "sync", "--db", a.dbArg(), "--read-timeout", "0");
        assertThat(zero.exitCode()).as(zero.all()).isEqualTo(2);
        assertThat(zero.err()).contains("error: USAGE").contains("--read-timeout must be a whole number of seconds from 1 to 86400, not 0");

        try (var lib = dev.ferry.client.RemoteDatabase.open(a.dbArg())) {
            assertThat(lib.transportSettings()).isEqualTo(new dev.ferry.client.TransportSettings(java.time.Duration.ofSeconds(5),
                    java.time.Duration.ofSeconds(7), null, java.time.Duration.ofSeconds(3)));
            lib.useTransportSettings(lib.transportSettings().withReadTimeout(java.time.Duration.ofMillis(1500)));
            assertThat(lib.transportSettings().readTimeout()).isEqualTo(java.time.Duration.ofMillis(1500));
            lib.saveTransportSettings(dev.ferry.client.TransportSettings.DEFAULTS);
        }
        assertThat(a.query("SELECT value FROM ferry_setting WHERE name = 'read_timeout_ms'")).containsExactly(List.of("300000"));
    }
}
