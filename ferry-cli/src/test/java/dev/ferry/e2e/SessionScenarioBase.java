package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import dev.ferry.server.auth.Users;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the sync-session scenarios (issue 3) share: a consolidated database with the test schema and
 * customers 1 (Ada) and 2 (Grace), servers started per test with the settings the test is about,
 * SQLite remotes, syncs run in the background while the test holds locks with transactions of its
 * own ("another application"), and a probe that waits until someone is blocked on a lock.
 *
 * <p>{@link Cli#run} is serialized (it swaps System.out), so while a background sync runs through
 * it the test must not call the CLI itself; {@link #syncViaLibraryInBackground} avoids that.
 */
abstract class SessionScenarioBase {
    protected static final Duration PATIENCE = Duration.ofSeconds(60);

    protected ConsolidatedFixture cons;
    private final List<FerryServer> servers = new ArrayList<>();
    private final List<RemoteFixture> remotes = new ArrayList<>();
    private final List<Connection> transactions = new ArrayList<>();
    private final ExecutorService background = Executors.newCachedThreadPool();

    abstract String consolidatedKind();

    @BeforeEach
    void createConsolidated() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50), (2, 'Grace', 19.99)");
    }

    @AfterEach
    void cleanUp() throws Exception {
        // Release the test's locks first so a sync still blocked on them can finish before its server stops.
        for (Connection c : transactions) {
            try (c) {
                if (!c.isClosed()) {
                    c.rollback();
                }
            } catch (SQLException ignored) {
                // the transaction is gone either way
            }
        }
        background.shutdown();
        background.awaitTermination(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        for (FerryServer s : servers) {
            s.close();
        }
        for (RemoteFixture r : remotes) {
            r.close();
        }
        if (cons != null) {
            cons.db.close();
        }
    }

    /** Starts a server on the consolidated database; {@code settings} are key, value pairs of ServerConfig options. */
    protected FerryServer startServer(String... settings) {
        Map<String, String> flags = new LinkedHashMap<>(Map.of(ServerConfig.CONSOLIDATED_URL.key(), cons.db.url(), ServerConfig.PORT.key(), "0",
                ServerConfig.HOST.key(), "127.0.0.1", ServerConfig.PASSWORD_ITERATIONS.key(), "10000",
                ServerConfig.PLAIN_HTTP.key(), "true"));
        for (int i = 0; i < settings.length; i += 2) {
            flags.put(settings[i], settings[i + 1]);
        }
        FerryServer s = FerryServer.start(ServerConfig.load(null, Map.of(), flags));
        servers.add(s);
        if (servers.size() == 1) {
            new Users(s.database(), 10_000).add("alice", "s3cret".toCharArray());
        }
        return s;
    }

    /** The servers this test started, first one first. */
    protected List<FerryServer> servers() {
        return List.copyOf(servers);
    }

    protected static String url(FerryServer s) {
        return "http://127.0.0.1:" + s.port();
    }

    protected RemoteFixture remote(FerryServer server, String id) throws Exception {
        return remote(server, id, "sqlite");
    }

    /** A remote of {@code kind} (sqlite or h2), created with `ferry remote init`. */
    protected RemoteFixture remote(FerryServer server, String id, String kind) throws Exception {
        RemoteFixture r = track(new RemoteFixture(kind, id));
        Cli.Result res = Cli.run("remote", "init", "--db", r.dbArg(), "--server", url(server), "--remote-id", id, "--user", "alice", "--password", "s3cret");
        assertThat(res.exitCode()).as(res.all()).isZero();
        return r;
    }

    protected RemoteFixture track(RemoteFixture r) {
        remotes.add(r);
        return r;
    }

    protected static Cli.Result ok(Cli.Result res) {
        assertThat(res.exitCode()).as(res.all()).isZero();
        return res;
    }

    protected static Cli.Result sync(RemoteFixture r) {
        return ok(Cli.run("remote", "sync", "--db", r.dbArg()));
    }

    protected Future<Cli.Result> syncInBackground(RemoteFixture r) {
        return inBackground(() -> Cli.run("remote", "sync", "--db", r.dbArg()));
    }

    /** A sync through the client library rather than the CLI, so the test can use the CLI meanwhile. */
    protected Future<dev.ferry.client.SyncResult> syncViaLibraryInBackground(RemoteFixture r) {
        return inBackground(() -> {
            try (dev.ferry.client.RemoteDatabase db = dev.ferry.client.RemoteDatabase.open(r.dbArg())) {
                return db.sync();
            }
        });
    }

    protected <T> Future<T> inBackground(Callable<T> task) {
        return background.submit(task);
    }

    protected static <T> T result(Future<T> f) throws Exception {
        return f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** A transaction of another application on the consolidated database; rolled back after the test if still open. */
    protected Connection transaction() throws SQLException {
        Connection c = cons.db.connect();
        c.setAutoCommit(false);
        transactions.add(c);
        return c;
    }

    protected static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Waits until at least {@code n} sessions of the consolidated database are blocked on a lock. Polls
     * no faster than every 200 ms: MariaDB refreshes information_schema.innodb_trx only when nobody has
     * read it for 100 ms, so faster polling would keep reading a stale snapshot.
     */
    protected void awaitLockWaiters(int n) {
        await("at least " + n + " session(s) waiting for a lock").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> cons.lockWaiters() >= n);
    }

    protected static List<Long> counts(Cli.Result res, String table) {
        return SyncScenarios.counts(res, table);
    }

    protected static final String CUSTOMERS = "SELECT id, name, balance FROM customer ORDER BY id";
    protected static final String ORDERS = "SELECT id, customer_id, note FROM orders ORDER BY id";
    protected static final String LINES = "SELECT order_id, line_no, qty FROM order_line ORDER BY order_id, line_no";

    /** Both databases hold the same rows and the remote has nothing left to upload. */
    protected void assertConverged(RemoteFixture r) throws Exception {
        for (String q : List.of(CUSTOMERS, ORDERS, LINES)) {
            assertThat(r.query(q)).as(q).isEqualTo(cons.query(q));
        }
        assertThat(r.query("SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced'")).as("rows not synced").isEmpty();
    }

    protected static List<List<String>> rows(String... csv) {
        return java.util.Arrays.stream(csv).map(row -> List.of(row.split(",", -1))).toList();
    }
}
