package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import dev.ferry.server.auth.Users;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4, the process failures, on PostgreSQL: a server JVM killed with SIGKILL while its upload
 * transaction is open (in the middle of applying rows; after it also recorded the new progress) or after
 * it committed but before it answered, and a remote's {@code ferry remote sync} JVM killed with SIGKILL
 * in the middle of applying a download. Each is followed by an ordinary sync that must converge with
 * nothing lost and nothing applied twice.
 *
 * <p>The kill moments are made deterministic with locks, never with timing: a test transaction holds a
 * row lock the server's transaction needs, and the test kills the server once PostgreSQL reports that
 * transaction waiting on it; the remote is killed once its download is held back part-way by the proxy
 * and its uncommitted download transaction is visible as megabytes in the SQLite {@code -wal} file.
 *
 * <p>An AFTER trigger logs every write that reaches the consolidated tables into {@code write_log}, so an
 * upload applied twice shows up even where the second application would leave the same values; the
 * conflict log shows a replay that met its own earlier writes.
 */
class CrashRecoveryIT {
    private static final Pattern LISTENING = Pattern.compile("Ferry server listening on port (\\d+)");
    /** The upload the crash tests kill the server under: every kind of write, in both tables, parents first. */
    private static final String CHANGES = "UPDATE customer SET balance = '1.00' WHERE id = 9900;" // the row upload 1 rejected, fixed: now an insert
            + " INSERT INTO customer VALUES (9001, 'new', '2.00'); UPDATE customer SET name = 'renamed' WHERE id = 5;"
            + " INSERT INTO orders VALUES (9001, 9001, 'new order'); UPDATE orders SET note = 'changed' WHERE id = 1;";
    private static final List<List<String>> CHANGES_WRITTEN = List.of(List.of("customer", "UPDATE", "5"), List.of("customer", "INSERT", "9001"),
            List.of("customer", "INSERT", "9900"), List.of("orders", "UPDATE", "1"), List.of("orders", "INSERT", "9001"));

    private ConsolidatedFixture cons;
    private RemoteFixture a;
    private Path logs;
    private final List<ChildJvm> children = new ArrayList<>();
    private final ExecutorService inFlight = Executors.newSingleThreadExecutor();
    private Connection holder;
    private FerryServer inProcessServer;
    private FaultyProxy proxy;
    private int serverPort;

    @BeforeEach
    void createDatabases() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.postgres());
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) SELECT g, 'c' || g, g FROM generate_series(1, 50) g");
        cons.jdbc("INSERT INTO orders (id, customer_id, note) SELECT g, g, 'order ' || g FROM generate_series(1, 10) g");
        // No primary key: Ferry does not synchronize it, it only watches.
        cons.jdbc("CREATE TABLE write_log (tbl TEXT NOT NULL, op TEXT NOT NULL, id BIGINT NOT NULL)");
        cons.jdbc("CREATE FUNCTION log_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " INSERT INTO write_log VALUES (TG_TABLE_NAME, TG_OP, NEW.id); RETURN NULL; END $$");
        cons.jdbc("CREATE TRIGGER customer_write_log AFTER INSERT OR UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION log_write()");
        cons.jdbc("CREATE TRIGGER orders_write_log AFTER INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION log_write()");
        a = new RemoteFixture("sqlite", "shop-a");
        logs = Files.createTempDirectory("ferry-crash-");
    }

    @AfterEach
    void killEverything() throws Exception {
        // Child processes first, whatever else fails: nothing may outlive the test.
        children.forEach(ChildJvm::close);
        inFlight.shutdownNow();
        try {
            if (holder != null) {
                holder.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            if (inProcessServer != null) {
                inProcessServer.close();
            }
            inFlight.awaitTermination(30, TimeUnit.SECONDS);
        } finally {
            a.close();
            cons.db.close();
            try (Stream<Path> s = Files.walk(logs)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---------------------------------------------------------------- server killed

    @Test
    void serverKilledWhileApplyingRowsCommitsNothingAndTheNextSyncAppliesTheUploadOnce() throws Exception {
        // The orders chunk locks its rows first, so the server waits here with the customer rows
        // (parents first) already written in its open transaction.
        ChildJvm server = killedServerWaitingOn("SELECT id FROM orders WHERE id = 1 FOR UPDATE");
        assertNothingOfTheUploadCommitted(server);
        recoverAndAssertAppliedOnce(false);
    }

    @Test
    void serverKilledAfterRecordingTheNewProgressButBeforeCommitLeavesNeitherAndTheNextSyncAppliesTheUploadOnce() throws Exception {
        // Recording upload 2 replaces upload 1's stored rejection: the server waits here with every row
        // applied and the new progress written, only the commit missing. A server that committed the rows
        // and recorded progress separately would leave the rows committed and the progress behind.
        ChildJvm server = killedServerWaitingOn("SELECT seq FROM ferry_upload_error WHERE remote_id = 'shop-a' FOR UPDATE");
        assertNothingOfTheUploadCommitted(server);
        recoverAndAssertAppliedOnce(false);
    }

    @Test
    void serverKilledAfterCommittingBeforeItAnsweredIsRecoveredFromTheCounterWithoutApplyingAnythingTwice() throws Exception {
        // Stamping changes for the download follows the upload's commit and locks ferry_clock: the server
        // waits here with the upload committed and no answer sent.
        ChildJvm server = killedServerWaitingOn("SELECT position FROM ferry_clock WHERE id = 1 FOR UPDATE");
        assertThat(cons.query("SELECT tbl, op, id FROM write_log ORDER BY tbl, id")).as("committed before the kill:\n" + server.output())
                .containsExactlyInAnyOrderElementsOf(CHANGES_WRITTEN);
        assertThat(cons.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'")).containsExactly(List.of("2"));
        assertRemoteNeverHeardBack();
        recoverAndAssertAppliedOnce(true);
    }

    /**
     * Starts a server JVM, syncs the remote once (upload 1 has a row the server rejects, so a stored
     * rejection exists), makes {@link #CHANGES} and syncs again while a test transaction holds the lock
     * {@code lockSql} takes. Once the server's transaction waits for it, kills the server with SIGKILL,
     * checks the in-flight sync failed cleanly, releases the lock and waits until PostgreSQL has ended the
     * dead server's session (rolling back whatever it had not committed).
     */
    private ChildJvm killedServerWaitingOn(String lockSql) throws Exception {
        ChildJvm server = startServer(0);
        try (ConsolidatedDatabase db = ConsolidatedDatabase.open(cons.db.url(), "", "", 2)) {
            new Users(db, 10_000).add("alice", "s3cret".toCharArray());
        }
        ok(Cli.run("remote", "init", "--db", a.dbArg(), "--server", "http://127.0.0.1:" + serverPort, "--remote-id", "shop-a",
                "--user", "alice", "--password", "s3cret"));
        a.app("INSERT INTO customer VALUES (9900, 'bad', '-5000.00');");
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        assertThat(cons.query("SELECT upload_number, pk FROM ferry_upload_error WHERE remote_id = 'shop-a'")).containsExactly(List.of("1", "[9900]"));
        a.app(CHANGES);

        holder = cons.db.connect();
        holder.setAutoCommit(false);
        long holderPid = singleLong(holder, "SELECT pg_backend_pid()");
        singleLong(holder, lockSql);
        Future<Cli.Result> sync = inFlight.submit(() -> Cli.run("remote", "sync", "--db", a.dbArg()));
        long[] waiting = new long[1];
        await("the server's transaction waiting for the test's lock").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .failFast(() -> {
                    assertAlive(server, "the server");
                    assertThat(sync.isDone()).as(() -> "the sync ended without waiting: " + result(sync)).isFalse();
                })
                .until(() -> {
                    List<List<String>> rows = cons.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND "
                            + holderPid + " = ANY(pg_blocking_pids(pid))");
                    if (rows.size() == 1) {
                        waiting[0] = Long.parseLong(rows.get(0).get(0));
                    }
                    return rows.size() == 1;
                });

        assertThat(server.killHard()).as("137 = 128 + SIGKILL: the server got no chance to clean up").isEqualTo(137);
        Cli.Result failed = sync.get(60, TimeUnit.SECONDS);
        assertThat(failed.exitCode()).as(failed.all()).isEqualTo(11);
        assertThat(failed.err()).containsPattern("(?m)^error: TRANSPORT_FAILED");

        holder.rollback();
        // PostgreSQL ends a session whose client died when it next talks to it, i.e. once the lock is free;
        // only then is the rollback of everything it had not committed complete.
        await("PostgreSQL ending the dead server's session").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> cons.query("SELECT pid FROM pg_stat_activity WHERE pid = " + waiting[0]).isEmpty());
        return server;
    }

    private void assertNothingOfTheUploadCommitted(ChildJvm server) throws Exception {
        assertThat(cons.query("SELECT tbl, op, id FROM write_log")).as("no row of the killed upload survived:\n" + server.output()).isEmpty();
        assertThat(cons.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'")).containsExactly(List.of("1"));
        assertThat(cons.query("SELECT upload_number, pk FROM ferry_upload_error WHERE remote_id = 'shop-a'")).containsExactly(List.of("1", "[9900]"));
        assertRemoteNeverHeardBack();
    }

    /** The in-flight sync failed before any answer: the remote keeps its five changes pending and asks about upload 2 next time. */
    private void assertRemoteNeverHeardBack() throws Exception {
        assertThat(a.query("SELECT progress, pending_upload FROM ferry_state")).containsExactly(List.of("1", "2"));
        assertThat(a.query("SELECT table_name, pk, state FROM ferry_row_state WHERE state <> 'synced'")).containsExactlyInAnyOrder(
                List.of("customer", "[9900]", "inserted"), List.of("customer", "[9001]", "inserted"), List.of("customer", "[5]", "updated"),
                List.of("orders", "[9001]", "inserted"), List.of("orders", "[1]", "updated"));
    }

    /** A new server process on the same database and port, then one ordinary sync; everything written exactly once. */
    private void recoverAndAssertAppliedOnce(boolean uploadWasCommitted) throws Exception {
        startServer(serverPort);
        Cli.Result r = ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        if (uploadWasCommitted) {
            assertThat(r.out()).contains("recovered a lost upload acknowledgement");
        } else {
            assertThat(r.out()).doesNotContain("recovered");
            assertThat(SyncScenarios.counts(r, "customer").get(0)).as("the rows are sent again").isEqualTo(3L);
            assertThat(SyncScenarios.counts(r, "orders").get(0)).isEqualTo(2L);
        }
        assertThat(cons.query("SELECT tbl, op, id FROM write_log")).as("every uploaded change written exactly once")
                .containsExactlyInAnyOrderElementsOf(CHANGES_WRITTEN);
        assertThat(cons.query("SELECT table_name, kind FROM ferry_conflict")).as("a replay would meet its own writes as conflicts").isEmpty();
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_upload_error")).containsExactly(List.of("0"));
        assertThat(cons.query("SELECT id, name, balance FROM customer WHERE id IN (5, 9001, 9900) ORDER BY id"))
                .containsExactly(List.of("5", "renamed", "5.00"), List.of("9001", "new", "2.00"), List.of("9900", "bad", "1.00"));
        assertThat(cons.query("SELECT id, note FROM orders WHERE id IN (1, 9001) ORDER BY id")).containsExactly(List.of("1", "changed"), List.of("9001", "new order"));
        assertConverged();
        // Upload 2 either committed before the kill (then the sync above sent an empty upload 3) or never did.
        assertThat(cons.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'")).containsExactly(List.of(uploadWasCommitted ? "3" : "2"));
    }

    // ---------------------------------------------------------------- remote killed

    @Test
    void remoteKilledWhileApplyingADownloadKeepsItsDatabaseAsBeforeAndTheNextSyncDownloadsItAgain() throws Exception {
        // Here the server is not what dies: it runs in the test JVM, behind the proxy that holds the download back.
        inProcessServer = FerryServer.start(ServerConfig.load(null, Map.of(), Map.of(ServerConfig.CONSOLIDATED_URL.key(), cons.db.url(),
                ServerConfig.PORT.key(), "0", ServerConfig.HOST.key(), "127.0.0.1", ServerConfig.PLAIN_HTTP.key(), "true")));
        new Users(inProcessServer.database(), 10_000).add("alice", "s3cret".toCharArray());
        proxy = new FaultyProxy(inProcessServer.port());
        ok(Cli.run("remote", "init", "--db", a.dbArg(), "--server", proxy.url(), "--remote-id", "shop-a", "--user", "alice", "--password", "s3cret"));
        ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        a.app("INSERT INTO customer VALUES (7001, 'made offline', '3.00'); UPDATE customer SET name = 'edited offline' WHERE id = 3;");
        // Several MB of hardly compressible text: more than SQLite's page cache, so the open download
        // transaction spills uncommitted pages into the -wal file, which is how the test sees it working.
        cons.jdbc("INSERT INTO orders (id, customer_id, note) SELECT 1000 + g, 1 + g % 50,"
                + " (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 20) i) FROM generate_series(1, 8000) g");
        String dataBefore = sqlite3("SELECT * FROM customer ORDER BY id; SELECT * FROM orders ORDER BY id;");
        String downloadBefore = sqlite3("SELECT last_download, last_download_time, applying FROM ferry_state;");
        Path wal = Path.of(a.dbArg() + "-wal");
        checkpoint();

        proxy.stallResponseAfter(1_600_000);
        ChildJvm sync = ChildJvm.start(logs.resolve("remote-sync.log"), Map.of(), "remote", "sync", "--db", a.dbArg());
        children.add(sync);
        // While applying: the upload's outcome is settled and committed (progress 2 visible to a reader), the
        // rest of the response is held back, and the -wal file holds megabytes a reader does not see.
        await("the remote's sync in the middle of applying the download").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .failFast(() -> assertAlive(sync, "the remote's sync"))
                .ignoreExceptionsInstanceOf(SQLException.class)
                .until(() -> proxy.stalled.get() && Files.exists(wal) && Files.size(wal) > 512 * 1024
                        && a.query("SELECT progress FROM ferry_state").equals(List.of(List.of("2"))));
        assertThat(a.query("SELECT last_download, applying FROM ferry_state")).as("nothing of the download committed yet")
                .isEqualTo(List.of(List.of(downloadBefore.split("\\|")[0], "0")));

        assertThat(sync.killHard()).as("137 = 128 + SIGKILL").isEqualTo(137);

        // Read with the sqlite3 CLI: a separate program opening the file the dead process left.
        assertThat(sqlite3("PRAGMA integrity_check;")).isEqualTo("ok\n");
        assertThat(sqlite3("SELECT * FROM customer ORDER BY id; SELECT * FROM orders ORDER BY id;")).as("no downloaded row survived")
                .isEqualTo(dataBefore);
        assertThat(sqlite3("SELECT last_download, last_download_time, applying FROM ferry_state;")).isEqualTo(downloadBefore);
        assertThat(sqlite3("SELECT progress, pending_upload IS NULL FROM ferry_state; SELECT COUNT(*) FROM ferry_pending;"))
                .as("the upload was committed and settled before the download began").isEqualTo("2|1\n0\n");
        Path lockFile = Path.of(a.dbArg() + ".ferry-sync.lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock lock = ch.tryLock()) {
            assertThat(lock).as("the dead process's sync lock went with it; the file may stay").isNotNull();
        }

        Cli.Result r = ok(Cli.run("remote", "sync", "--db", a.dbArg()));
        assertThat(SyncScenarios.counts(r, "customer").get(0)).as("the offline changes went up once, before the kill").isZero();
        assertThat(SyncScenarios.counts(r, "orders")).containsExactly(0L, 8000L, 0L, 0L);
        assertThat(cons.query("SELECT tbl, op, id FROM write_log WHERE tbl = 'customer'"))
                .containsExactlyInAnyOrder(List.of("customer", "INSERT", "7001"), List.of("customer", "UPDATE", "3"));
        assertThat(cons.query("SELECT name FROM customer WHERE id IN (3, 7001) ORDER BY id")).containsExactly(List.of("edited offline"), List.of("made offline"));
        assertConverged();
    }

    // ---------------------------------------------------------------- helpers

    private ChildJvm startServer(int port) {
        ChildJvm server = ChildJvm.start(logs.resolve("server-" + children.size() + ".log"),
                // Lock waits are how these tests hold the server still; make them outlast any test.
                Map.of("FERRY_SYNC_LOCK_TIMEOUT_SECONDS", "600", "FERRY_SERVER_HOST", "127.0.0.1", "FERRY_SERVER_PLAIN_HTTP", "true"),
                "server", "--consolidated", cons.db.url(), "--port", String.valueOf(port));
        children.add(server);
        if (port == 0) {
            await("the server's port").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .failFast(() -> assertAlive(server, "the server"))
                    .until(() -> LISTENING.matcher(server.output()).find());
            Matcher m = LISTENING.matcher(server.output());
            assertThat(m.find()).isTrue();
            serverPort = Integer.parseInt(m.group(1));
        }
        HttpClient http = HttpClient.newHttpClient();
        await("the server's /health").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .failFast(() -> assertAlive(server, "the server"))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return server;
    }

    private static void assertAlive(ChildJvm p, String what) {
        assertThat(p.isAlive()).as(() -> what + " ended:\n" + p.output()).isTrue();
    }

    private static String result(Future<Cli.Result> f) {
        try {
            return f.get().all();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r;
    }

    private static long singleLong(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getLong(1);
        }
    }

    private String sqlite3(String sql) throws Exception {
        return ConsolidatedFixture.run(List.of("sqlite3", a.dbArg(), sql));
    }

    /** Empties the -wal file, so what the next sync writes there is all it holds. */
    private void checkpoint() throws Exception {
        try (Connection c = DriverManager.getConnection(a.url()); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    private void assertConverged() throws Exception {
        assertThat(a.query("SELECT COUNT(*) FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("0"));
        assertThat(a.query("SELECT id, name, balance FROM customer ORDER BY id")).isEqualTo(cons.query("SELECT id, name, balance FROM customer ORDER BY id"));
        assertThat(a.query("SELECT id, customer_id, note FROM orders ORDER BY id")).isEqualTo(cons.query("SELECT id, customer_id, note FROM orders ORDER BY id"));
        List<List<String>> progress = cons.query("SELECT progress FROM ferry_remote WHERE remote_id = 'shop-a'");
        assertThat(a.query("SELECT progress, pending_upload FROM ferry_state")).containsExactly(java.util.Arrays.asList(progress.get(0).get(0), null));
    }
}
