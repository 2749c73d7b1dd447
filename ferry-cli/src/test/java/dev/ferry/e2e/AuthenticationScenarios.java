package dev.ferry.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.ferry.server.FerryServer;
import dev.ferry.server.auth.Users;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: the password proves identity at {@code remote init} and {@code remote passwd}, the remote
 * then holds a revocable per-remote credential (hashed on the server); disabling a user, changing a
 * password and revoking a credential take effect on the next request; failed logins are throttled per
 * user and per client address in the consolidated database (shared by every server); unknown users
 * cost the same time as wrong passwords; no secret reaches a log line, an error body or
 * {@code ferry_sync_log}. Real CLI, real HTTP; run against each consolidated database by thin subclasses.
 */
abstract class AuthenticationScenarios {
    private static final String BOB = "bob";
    private static final String BOB_PASSWORD = "b0b-Secret-Pw";

    private RunningFerry ferry;

    abstract String consolidatedKind();

    @AfterEach
    void stop() throws Exception {
        if (ferry != null) {
            ferry.close();
        }
    }

    private RunningFerry start(Map<String, String> settings) throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50)");
        ferry = RunningFerry.start(cons, null, settings);
        new Users(ferry.server.database(), 10_000).add(BOB, BOB_PASSWORD.toCharArray());
        return ferry;
    }

    // ------------------------------------------------------------------ the credential's life

    @Test
    void initStoresACredentialNeverThePasswordAndTheServerOnlyItsHash() throws Exception {
        Assumptions.assumeTrue(RemoteFixture.sqliteCliAvailable(), "the sqlite3 shell is not installed (.ci/run installs it; CI never skips this)");
        start(Map.of());
        RemoteFixture a = ferry.remote("sqlite", "shop-a");
        RunningFerry.sync(a);

        String dump = ConsolidatedFixture.run(List.of("sqlite3", a.dbArg(), ".dump"));
        assertThat(dump).contains("shop-a").doesNotContain(RunningFerry.PASSWORD);
        assertThat(Files.readAllBytes(Path.of(a.dbArg()))).asString(StandardCharsets.ISO_8859_1).doesNotContain(RunningFerry.PASSWORD);
        String credential = credential(a);
        assertThat(credential).matches("[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{43}");

        String secret = credential.substring(credential.indexOf('.') + 1);
        assertThat(ferry.cons.query("SELECT credential_id, remote_id, user_name, secret_hash, revoked_at FROM ferry_remote_credential"))
                .containsExactly(Arrays.asList(credential.substring(0, 16), "shop-a", "alice", sha256(secret), null));
        assertThat(ferry.cons.query("SELECT COUNT(*) FROM ferry_remote_credential WHERE secret_hash LIKE '%" + secret + "%'"))
                .containsExactly(List.of("0"));
    }

    @Test
    void aRevokedCredentialIsRefusedOnTheNextSyncUntilRemotePasswdProvesThePasswordAgain() throws Exception {
        start(Map.of());
        RemoteFixture a = ferry.remote("sqlite", "shop-a");
        RunningFerry.sync(a);
        String old = credential(a);
        a.app("UPDATE customer SET name = 'pending' WHERE id = 1;");

        assertThat(ok(Cli.run("remote", "revoke-credential", "--consolidated", ferry.cons.db.url(), "--remote", "shop-a")).out())
                .contains("Revoked the credential of remote shop-a");
        Cli.Result refused = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(3);
        assertThat(errorLine(refused)).startsWith("error: AUTH_FAILED: the credential of remote shop-a was revoked").contains("ferry remote passwd");
        assertThat(ferry.cons.query("SELECT name FROM customer WHERE id = 1")).containsExactly(List.of("Ada"));
        assertThat(a.query("SELECT state FROM ferry_row_state WHERE pk = '[1]'")).containsExactly(List.of("updated"));
        for (int i = 0; i < 6; i++) {
            assertThat(Cli.run("remote", "sync", "--db", a.dbArg()).exitCode()).as("a device retrying a revoked credential is no guesser").isEqualTo(3);
        }

        Cli.Result wrong = Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", RunningFerry.USER, "--password", "not-it");
        assertThat(wrong.exitCode()).as(wrong.all()).isEqualTo(3);
        ok(Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", RunningFerry.USER, "--password", RunningFerry.PASSWORD));
        assertThat(credential(a)).isNotEqualTo(old);
        RunningFerry.sync(a);
        assertThat(ferry.cons.query("SELECT name FROM customer WHERE id = 1")).containsExactly(List.of("pending"));

        // A second remote passwd revokes the first one's credential: a copy holding it is refused.
        String first = credential(a);
        ok(Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", RunningFerry.USER, "--password", RunningFerry.PASSWORD));
        assertThat(get("127.0.0.1", "/v1/schema", "Bearer " + first).status()).isEqualTo(401);
        assertThat(get("127.0.0.1", "/v1/schema", "Bearer " + credential(a)).status()).isEqualTo(200);
    }

    @Test
    void aDisabledUserIsRefusedOnItsNextRequestAndWorksAgainWhenEnabled() throws Exception {
        start(Map.of());
        RemoteFixture a = ferry.remote("sqlite", "shop-a");
        RunningFerry.sync(a);
        String url = ferry.cons.db.url();

        assertThat(ok(Cli.run("user", "disable", "--consolidated", url, "--name", RunningFerry.USER)).out()).contains("Disabled user alice");
        Cli.Result refused = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(3);
        assertThat(errorLine(refused)).startsWith("error: AUTH_FAILED: user 'alice' is disabled").contains("ferry user enable");
        RemoteFixture b = ferry.uninitialized("sqlite", "shop-b");
        Cli.Result init = Cli.run("remote", "init", "--db", b.dbArg(), "--server", ferry.url, "--remote-id", "shop-b", "--user", RunningFerry.USER,
                "--password", RunningFerry.PASSWORD);
        assertThat(init.exitCode()).as("the password of a disabled user does not work either: " + init.all()).isEqualTo(3);
        assertThat(errorLine(init)).contains("disabled");

        Cli.Result unknown = Cli.run("user", "disable", "--consolidated", url, "--name", "carol");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(errorLine(unknown)).contains("USER_NOT_FOUND");

        ok(Cli.run("user", "enable", "--consolidated", url, "--name", RunningFerry.USER));
        RunningFerry.sync(a);
    }

    @Test
    void aPasswordChangeRevokesTheUsersCredentialsAndOnlyTheNewPasswordGetsNewOnes() throws Exception {
        start(Map.of());
        RemoteFixture a = ferry.remote("sqlite", "shop-a");
        RemoteFixture bobs = bobsRemote("bobs-own");
        RunningFerry.sync(a);

        Cli.Result changed = ok(Cli.run("user", "passwd", "--consolidated", ferry.cons.db.url(), "--name", RunningFerry.USER, "--password", "n3w-pw"));
        assertThat(changed.out()).contains("revoked 1 remote credential(s)").contains("ferry remote passwd");
        Cli.Result refused = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(3);
        assertThat(errorLine(refused)).contains("revoked").contains("ferry remote passwd");
        RunningFerry.sync(bobs); // another user's remote is not touched

        Cli.Result oldPassword = Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", RunningFerry.USER, "--password", RunningFerry.PASSWORD);
        assertThat(oldPassword.exitCode()).as(oldPassword.all()).isEqualTo(3);
        ok(Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", RunningFerry.USER, "--password", "n3w-pw"));
        RunningFerry.sync(a);
    }

    @Test
    void anOldRemoteFileThatStoredThePasswordGetsAClearError() throws Exception {
        Assumptions.assumeTrue(RemoteFixture.sqliteCliAvailable(), "the sqlite3 shell is not installed (.ci/run installs it; CI never skips this)");
        start(Map.of());
        RemoteFixture a = ferry.remote("sqlite", "shop-a");
        a.app("ALTER TABLE ferry_state RENAME COLUMN credential TO password;");
        Cli.Result r = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(12);
        assertThat(errorLine(r)).contains("REMOTE_NOT_INITIALIZED").contains("stored the sync password").contains("ferry remote init");
    }

    // ------------------------------------------------------------------ authorization across users

    @Test
    void anotherUserCanUseNeitherItsCredentialNorItsPasswordForAlicesRemote() throws Exception {
        start(Map.of());
        RemoteFixture a = ferry.remote("sqlite", "shop-a");
        RunningFerry.sync(a);
        RemoteFixture bobs = bobsRemote("bobs-own");
        String sync = "{\"protocol\": 1, \"remoteId\": \"shop-a\", \"progress\": 0, \"uploadId\": \"u-1\", \"lastDownload\": 0, \"mode\": \"full\","
                + " \"tables\": [\"customer\", \"orders\", \"order_line\", \"all_types\"], \"upload\": []}";
        List<List<String>> before = ferry.cons.query("SELECT * FROM ferry_remote ORDER BY remote_id");

        Response bySync = post("/v1/sync", "Bearer " + credential(bobs), sync);
        assertThat(bySync.status()).as(bySync.body()).isEqualTo(403);
        assertThat(bySync.body()).contains("FORBIDDEN").doesNotContain("alice");
        Response byAck = post("/v1/sync/ack", "Bearer " + credential(bobs), "{\"remoteId\": \"shop-a\", \"lastDownload\": 5}");
        assertThat(byAck.status()).as(byAck.body()).isEqualTo(403);
        Response byPassword = post("/v1/sync", basic(BOB, BOB_PASSWORD), sync);
        assertThat(byPassword.status()).as("a password never syncs: " + byPassword.body()).isEqualTo(401);
        Response byPasswordAck = post("/v1/sync/ack", basic(BOB, BOB_PASSWORD), "{\"remoteId\": \"shop-a\", \"lastDownload\": 5}");
        assertThat(byPasswordAck.status()).isEqualTo(401);
        Response credentialForAlice = post("/v1/remotes/credential", basic(BOB, BOB_PASSWORD), "{\"remoteId\": \"shop-a\"}");
        assertThat(credentialForAlice.status()).as(credentialForAlice.body()).isEqualTo(403);
        assertThat(ferry.cons.query("SELECT * FROM ferry_remote ORDER BY remote_id")).isEqualTo(before);

        // A credential proves one remote id, even for its own user's other remotes.
        RemoteFixture shopB = ferry.remote("sqlite", "shop-b");
        Response otherRemote = post("/v1/sync", "Bearer " + credential(shopB), sync);
        assertThat(otherRemote.status()).as(otherRemote.body()).isEqualTo(403);
        assertThat(otherRemote.body()).contains("the credential of remote shop-b may not act for remote id shop-a");
        Response otherRemoteAck = post("/v1/sync/ack", "Bearer " + credential(shopB), "{\"remoteId\": \"shop-a\", \"lastDownload\": 5}");
        assertThat(otherRemoteAck.status()).as(otherRemoteAck.body()).isEqualTo(403);
        assertThat(ferry.cons.query("SELECT last_download_position FROM ferry_remote WHERE remote_id = 'shop-a'")).doesNotContain(List.of("5"));

        RemoteFixture b = ferry.uninitialized("sqlite", "bobs-shop-a");
        Cli.Result replace = Cli.run("remote", "init", "--db", b.dbArg(), "--server", ferry.url, "--remote-id", "shop-a", "--user", BOB,
                "--password", BOB_PASSWORD, "--replace");
        assertThat(replace.exitCode()).as(replace.all()).isEqualTo(17);
        Cli.Result passwd = Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", BOB, "--password", BOB_PASSWORD);
        assertThat(passwd.exitCode()).as(passwd.all()).isEqualTo(17);
        assertThat(ferry.cons.query("SELECT user_name FROM ferry_remote_credential WHERE remote_id = 'shop-a' AND revoked_at IS NULL"))
                .as("alice's credential is untouched").containsExactly(List.of("alice"));

        // A schema request needs a user or credential like every other; the health check is the only open endpoint.
        assertThat(get("127.0.0.1", "/v1/schema", null).status()).isEqualTo(401);
        assertThat(get("127.0.0.1", "/v1/schema", "Bearer " + credential(bobs)).status()).isEqualTo(200);
        assertThat(get("127.0.0.1", "/v1/schema", "Bearer nonsense").status()).isEqualTo(401);
        RunningFerry.sync(a);
    }

    // ------------------------------------------------------------------ throttling

    @Test
    void repeatedFailuresBlockTheUserAndTheAddressSeparatelyOnEveryServerOfTheDatabase() throws Exception {
        start(Map.of());
        // 127.0.0.0/8 is loopback on Linux: each address is another client to the server.
        for (int i = 1; i <= 5; i++) {
            assertThat(get("127.0.0.2", "/v1/schema", basic(RunningFerry.USER, "wrong-" + i)).status()).isEqualTo(401);
        }
        Response blocked = get("127.0.0.2", "/v1/schema", basic(RunningFerry.USER, RunningFerry.PASSWORD));
        assertThat(blocked.status()).as("even the right password waits: " + blocked.body()).isEqualTo(429);
        assertThat(Long.parseLong(blocked.header("retry-after"))).isBetween(1L, 60L);
        assertThat(blocked.body()).contains("\"code\":\"AUTH_THROTTLED\"").contains("\"retriable\":true").doesNotContain(RunningFerry.PASSWORD);

        // The user is blocked from every address; another user is not, except from the blocked address.
        assertThat(get("127.0.0.3", "/v1/schema", basic(RunningFerry.USER, RunningFerry.PASSWORD)).status()).isEqualTo(429);
        assertThat(get("127.0.0.3", "/v1/schema", basic(BOB, BOB_PASSWORD)).status()).isEqualTo(200);
        assertThat(get("127.0.0.2", "/v1/schema", basic(BOB, BOB_PASSWORD)).status()).isEqualTo(429);

        // Unknown user names count per address too: five of them block 127.0.0.4 for everyone.
        for (int i = 1; i <= 5; i++) {
            assertThat(get("127.0.0.4", "/v1/schema", basic("nobody-" + i, "x")).status()).isEqualTo(401);
        }
        assertThat(get("127.0.0.4", "/v1/schema", basic(BOB, BOB_PASSWORD)).status()).isEqualTo(429);

        // Failed credentials count per address and per remote id.
        RemoteFixture bobs = bobsRemote("bobs-own");
        String id = credential(bobs).substring(0, 16);
        for (int i = 1; i <= 5; i++) {
            assertThat(get("127.0.0.5", "/v1/schema", "Bearer " + id + ".guess" + i).status()).isEqualTo(401);
        }
        assertThat(get("127.0.0.6", "/v1/schema", "Bearer " + credential(bobs)).status()).as("the remote id is blocked").isEqualTo(429);
        Cli.Result sync = Cli.run("remote", "sync", "--db", bobs.dbArg());
        assertThat(sync.exitCode()).as(sync.all()).isEqualTo(19);
        assertThat(errorLine(sync)).startsWith("error: AUTH_THROTTLED: too many failed logins for remote 'bobs-own'");

        // A second server on the same database sees the same blocks: the state is in the database.
        Map<String, String> flags = new LinkedHashMap<>(Map.of(ServerConfig.CONSOLIDATED_URL.key(), ferry.cons.db.url(), ServerConfig.PORT.key(), "0",
                ServerConfig.HOST.key(), "127.0.0.1", ServerConfig.PASSWORD_ITERATIONS.key(), "10000", ServerConfig.PLAIN_HTTP.key(), "true"));
        try (FerryServer second = FerryServer.start(ServerConfig.load(null, Map.of(), flags))) {
            Response there = get("127.0.0.7", second.port(), "/v1/schema", basic(RunningFerry.USER, RunningFerry.PASSWORD));
            assertThat(there.status()).as(there.body()).isEqualTo(429);
            assertThat(get("127.0.0.7", second.port(), "/v1/schema", basic(BOB, BOB_PASSWORD)).status()).isEqualTo(200);
        }
        assertThat(ferry.cons.query("SELECT scope, subject FROM ferry_login_failure WHERE blocked_until IS NOT NULL ORDER BY scope, subject"))
                .containsExactly(List.of("address", "127.0.0.2"), List.of("address", "127.0.0.4"), List.of("address", "127.0.0.5"),
                        List.of("remote", "bobs-own"), List.of("user", "alice"));
    }

    @Test
    void remotePasswdReportsTheThrottleWithItsExitCode() throws Exception {
        start(Map.of(ServerConfig.THROTTLE_MAX_FAILURES.key(), "2"));
        RemoteFixture a = ferry.remote("sqlite", "shop-a");
        for (int i = 1; i <= 2; i++) {
            assertThat(Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", RunningFerry.USER, "--password", "wrong").exitCode()).isEqualTo(3);
        }
        Cli.Result blocked = Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", RunningFerry.USER, "--password", RunningFerry.PASSWORD);
        assertThat(blocked.exitCode()).as(blocked.all()).isEqualTo(19);
        assertThat(errorLine(blocked)).contains("AUTH_THROTTLED").contains("wait");
        Cli.Result sync = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(sync.exitCode()).as("a blocked address is blocked for credentials too: " + sync.all()).isEqualTo(19);
        assertThat(errorLine(sync)).contains("address '127.0.0.1'");
    }

    // ------------------------------------------------------------------ timing

    @Test
    void anUnknownUserCostsAsMuchTimeAsAWrongPassword() throws Exception {
        // A cost well above the cost of the HTTP exchange, so the hash dominates both times (as it does at the default).
        start(Map.of(ServerConfig.THROTTLE_MAX_FAILURES.key(), "1000", ServerConfig.PASSWORD_ITERATIONS.key(), "100000"));
        new Users(ferry.server.database(), 100_000).add("carol", "c4rol-pw".toCharArray());
        int n = 15;
        for (int i = 0; i < 3; i++) { // warm up both paths (and make the dummy hash)
            get("127.0.0.1", "/v1/schema", basic("nobody", "x"));
            get("127.0.0.1", "/v1/schema", basic("carol", "x"));
        }
        long[] unknown = new long[n];
        long[] wrong = new long[n];
        for (int i = 0; i < n; i++) {
            unknown[i] = timed(basic("nobody-" + i, "guess"));
            wrong[i] = timed(basic("carol", "guess-" + i));
        }
        double ratio = (double) median(unknown) / median(wrong);
        System.out.printf("median unknown user %d us, wrong password %d us, ratio %.2f%n", median(unknown) / 1000, median(wrong) / 1000, ratio);
        assertThat(ratio).as("unknown-user time / wrong-password time").isBetween(0.5, 2.0);
    }

    // ------------------------------------------------------------------ no secrets anywhere

    @Test
    void noPasswordCredentialOrHashReachesALogLineAnErrorBodyOrTheSyncLog() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        List<String> printed = new ArrayList<>();
        List<String> secrets = new ArrayList<>(List.of(RunningFerry.PASSWORD, BOB_PASSWORD, "Wr0ng-Guess-Pw"));
        try {
            start(Map.of(ServerConfig.THROTTLE_MAX_FAILURES.key(), "3"));
            RemoteFixture a = ferry.remote("sqlite", "shop-a");
            RunningFerry.sync(a);
            String credential = credential(a);
            secrets.add(credential);
            secrets.add(credential.substring(credential.indexOf('.') + 1));
            secrets.addAll(ferry.cons.query("SELECT secret_hash FROM ferry_remote_credential").stream().map(r -> r.get(0)).toList());
            secrets.addAll(ferry.cons.query("SELECT password_hash FROM ferry_user").stream().map(r -> r.get(0)).toList());
            secrets.addAll(ferry.cons.query("SELECT salt FROM ferry_user").stream().map(r -> r.get(0)).toList());

            RemoteFixture bad = ferry.uninitialized("sqlite", "bad");
            printed.add(Cli.run("remote", "init", "--db", bad.dbArg(), "--server", ferry.url, "--remote-id", "bad", "--user", RunningFerry.USER,
                    "--password", "Wr0ng-Guess-Pw").all());
            printed.add(Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", BOB, "--password", BOB_PASSWORD).all()); // FORBIDDEN
            a.app("UPDATE ferry_state SET credential = '" + credential.substring(0, 17) + "Wr0ng-Guess-Pw';");
            printed.add(Cli.run("remote", "sync", "--db", a.dbArg()).all());
            a.app("UPDATE ferry_state SET credential = '" + credential + "';");
            printed.add(RunningFerry.sync(a).all());
            printed.add(Cli.run("remote", "revoke-credential", "--consolidated", ferry.cons.db.url(), "--remote", "shop-a").all());
            printed.add(Cli.run("remote", "sync", "--db", a.dbArg()).all());
            for (int i = 0; i < 4; i++) {
                Response r = get("127.0.0.1", "/v1/schema", basic(RunningFerry.USER, "Wr0ng-Guess-Pw"));
                printed.add(r.body());
            }
            printed.add(post("/v1/sync", "Bearer " + credential, "{\"remoteId\": \"shop-a\"}").body());
            printed.add(post("/v1/sync", basic(RunningFerry.USER, RunningFerry.PASSWORD), "{}").body());
            printed.add(Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", RunningFerry.USER, "--password", RunningFerry.PASSWORD).all());
            printed.add(Cli.run("user", "passwd", "--consolidated", ferry.cons.db.url(), "--name", BOB, "--password", "An0ther-Secret").all());
            secrets.add("An0ther-Secret");
        } finally {
            root.detachAppender(log);
        }
        assertThat(log.list).as("the scenario was logged").isNotEmpty();
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : log.list) {
            lines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
        lines.addAll(printed);
        lines.addAll(ferry.cons.query("SELECT CONCAT(COALESCE(message, ''), ' ', COALESCE(error_code, '')) FROM ferry_sync_log").stream().map(r -> r.get(0)).toList());
        assertThat(String.join("\n", lines)).as("something was refused and said so").contains("AUTH_FAILED").contains("AUTH_THROTTLED");
        for (String line : lines) {
            for (String secret : secrets) {
                assertThat(line).as("a secret in: " + line).doesNotContain(secret);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private RemoteFixture bobsRemote(String id) throws Exception {
        RemoteFixture r = ferry.uninitialized("sqlite", id);
        ok(Cli.run("remote", "init", "--db", r.dbArg(), "--server", ferry.url, "--remote-id", id, "--user", BOB, "--password", BOB_PASSWORD));
        return r;
    }

    private static String credential(RemoteFixture r) throws Exception {
        return r.query("SELECT credential FROM ferry_state").get(0).get(0);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String secret) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private long timed(String authorization) throws Exception {
        long t0 = System.nanoTime();
        assertThat(get("127.0.0.1", "/v1/schema", authorization).status()).isEqualTo(401);
        return System.nanoTime() - t0;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String errorLine(Cli.Result r) {
        return r.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("(no error line) " + r.all());
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r;
    }

    /** One HTTP answer: status, headers (lower-case names), body. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private Response get(String from, String path, String authorization) throws Exception {
        return get(from, ferry.server.port(), path, authorization);
    }

    private static Response get(String from, int port, String path, String authorization) throws Exception {
        return exchange(from, port, "GET", path, authorization, null);
    }

    private Response post(String path, String authorization, String json) throws Exception {
        return exchange("127.0.0.1", ferry.server.port(), "POST", path, authorization, json);
    }

    /**
     * A plain HTTP/1.1 exchange from the local address {@code from}: the JDK's HttpClient cannot choose
     * its local address on Java 17, and the throttle tells clients apart by address.
     */
    private static Response exchange(String from, int port, String method, String path, String authorization, String json) throws Exception {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
            if (authorization != null) {
                req.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (json != null) {
                req.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String[] head = text.substring(0, split).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(), head[i].substring(colon + 1).trim());
            }
            String rest = text.substring(split + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                rest = dechunk(rest);
            }
            return new Response(Integer.parseInt(head[0].split(" ")[1]), headers, rest);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
