package dev.ferry.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ferry.server.auth.Users;
import dev.ferry.server.http.HttpApi;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defects 4 and 5: a remote id belongs to the user that registered it (and to users an
 * administrator grants it to), and re-using a known remote id never silently takes it over. Driven
 * through the real CLI and, for what a hostile or older client could send, raw HTTP requests; every
 * refusal is checked to leave {@code ferry_remote} and the data exactly as they were. Runs against each
 * consolidated database that stores the owners (thin subclasses).
 */
abstract class RemoteOwnershipScenarios {
    private static final String BOB = "bob";
    private static final String BOB_PASSWORD = "b0b-secret";
    private static final String TABLES = "[\"customer\", \"orders\", \"order_line\", \"all_types\"]";

    private ConsolidatedFixture cons;
    private RunningFerry ferry;
    private RemoteFixture a;

    abstract String consolidatedKind();

    @BeforeEach
    void start() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.create(consolidatedKind()));
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50), (2, 'Grace', 19.99)");
        ferry = RunningFerry.start(cons, null, Map.of());
        new Users(ferry.server.database(), 10_000).add(BOB, BOB_PASSWORD.toCharArray());
        a = ferry.remote("sqlite", "shop-a"); // alice's
        RunningFerry.sync(a);
    }

    @AfterEach
    void stop() throws Exception {
        if (ferry != null) {
            ferry.close();
        }
    }

    // ------------------------------------------------------------------ defect 4: acting for another user's remote id

    @Test
    void anotherUsersProgressZeroRequestIsForbiddenAndChangesNothing() throws Exception {
        a.app("UPDATE customer SET name = 'Ada L.' WHERE id = 1;");
        RunningFerry.sync(a);
        a.app("UPDATE customer SET name = 'pending at alice' WHERE id = 2;");
        List<List<String>> before = consolidatedState();

        RemoteFixture bobs = ferry.uninitialized("sqlite", "bobs");
        ok(Cli.run("remote", "init", "--db", bobs.dbArg(), "--server", ferry.url, "--remote-id", "bobs-own", "--user", BOB, "--password", BOB_PASSWORD));
        before = consolidatedState();
        ListAppender<ILoggingEvent> log = captureServerLog();
        try {
            // Progress 0 said "new database: forget this remote id's state"; bob's row would have been applied too.
            HttpResponse<String> r = post("/v1/sync", bearer(bobs), "{\"protocol\": 1, \"remoteId\": \"shop-a\", \"progress\": 0, \"lastDownload\": 0,"
                    + " \"mode\": \"full\", \"tables\": " + TABLES + ", \"upload\": [{\"table\": \"customer\", \"columns\": [\"id\", \"name\", \"balance\"],"
                    + " \"rows\": [[\"I\", [99, \"planted by bob\", \"1.00\"]], [\"U\", [1, \"bob was here\", \"120.50\"], [1, \"Ada L.\", \"120.50\"]]]}]}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(r.body()).contains("\"code\":\"FORBIDDEN\"").contains("shop-a").contains("ferry remote grant --remote shop-a --user bob")
                    .contains("\"retriable\":false").doesNotContain("alice");
            assertThat(consolidatedState()).as("ferry_remote and the data exactly as before").isEqualTo(before);
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("bob").contains("shop-a").contains("127.0.0.1"))
                    .allSatisfy(m -> assertThat(m).doesNotContain(BOB_PASSWORD));
        } finally {
            releaseServerLog(log);
        }

        // The same through the real CLI: bob's own remote, pointed at alice's remote id.
        bobs.app("UPDATE ferry_state SET remote_id = 'shop-a';");
        before = consolidatedState();
        Cli.Result refused = Cli.run("remote", "sync", "--db", bobs.dbArg());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(17);
        assertThat(errorLine(refused)).startsWith("error: FORBIDDEN: user 'bob' may not act for remote id shop-a");
        assertThat(consolidatedState()).isEqualTo(before);

        Cli.Result alice = RunningFerry.sync(a);
        assertThat(alice.out()).as("alice is not locked out").contains("progress 3");
        assertThat(cons.query("SELECT name FROM customer WHERE id IN (1, 2, 99) ORDER BY id"))
                .containsExactly(List.of("Ada L."), List.of("pending at alice"));
    }

    @Test
    void ackForAnotherUsersRemoteIsForbidden() throws Exception {
        RemoteFixture bobs = ferry.uninitialized("sqlite", "bobs");
        ok(Cli.run("remote", "init", "--db", bobs.dbArg(), "--server", ferry.url, "--remote-id", "bobs-own", "--user", BOB, "--password", BOB_PASSWORD));
        List<List<String>> before = consolidatedState();
        HttpResponse<String> r = post("/v1/sync/ack", bearer(bobs), "{\"remoteId\": \"shop-a\", \"lastDownload\": 9000000000000000}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("\"code\":\"FORBIDDEN\"").doesNotContain("alice");
        assertThat(consolidatedState()).as("last_download_position not moved").isEqualTo(before);

        HttpResponse<String> password = post("/v1/sync/ack", basic(RunningFerry.USER, RunningFerry.PASSWORD), "{\"remoteId\": \"shop-a\", \"lastDownload\": 1}");
        assertThat(password.statusCode()).as("an acknowledgement needs the remote's credential: " + password.body()).isEqualTo(401);
        HttpResponse<String> own = post("/v1/sync/ack", bearer(a), "{\"remoteId\": \"shop-a\", \"lastDownload\": 9000000000000000}");
        assertThat(own.statusCode()).as("the owner's acknowledgement still counts: " + own.body()).isEqualTo(200);
        assertThat(cons.query("SELECT last_download_position FROM ferry_remote WHERE remote_id = 'shop-a'")).containsExactly(List.of("9000000000000000"));
    }

    @Test
    void anUnregisteredRemoteIdIsClaimedByProvingAPasswordNeverByASync() throws Exception {
        // Issue 11: a sync needs a remote's credential, and a credential exists only for a registered id.
        String legacy = "{\"protocol\": 1, \"remoteId\": \"legacy-7\", \"progress\": 0, \"uploadId\": \"u-1\", \"lastDownload\": 0,"
                + " \"mode\": \"full\", \"tables\": " + TABLES
                + ", \"upload\": []}";
        HttpResponse<String> byPassword = post("/v1/sync", basic(BOB, BOB_PASSWORD), legacy);
        assertThat(byPassword.statusCode()).as(byPassword.body()).isEqualTo(401);
        assertThat(byPassword.body()).contains("AUTH_FAILED").contains("credential").doesNotContain(BOB_PASSWORD);
        HttpResponse<String> otherCredential = post("/v1/sync", bearer(a), legacy);
        assertThat(otherCredential.statusCode()).as(otherCredential.body()).isEqualTo(403);
        assertThat(otherCredential.body()).contains("FORBIDDEN").contains("the credential of remote shop-a may not act for remote id legacy-7");
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_remote WHERE remote_id = 'legacy-7'")).as("no row for a refused request").containsExactly(List.of("0"));

        // `remote passwd` of a remote moved here (`remote reset --server`) claims the id for the user that proves its password.
        HttpResponse<String> claimed = post("/v1/remotes/credential", basic(BOB, BOB_PASSWORD), "{\"remoteId\": \"legacy-7\"}");
        assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
        assertThat(cons.query("SELECT user_name, progress, incarnation FROM ferry_remote WHERE remote_id = 'legacy-7'"))
                .containsExactly(Arrays.asList("bob", "0", null));
        List<List<String>> before = consolidatedState();
        HttpResponse<String> other = post("/v1/remotes/credential", basic(RunningFerry.USER, RunningFerry.PASSWORD), "{\"remoteId\": \"legacy-7\"}");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
        assertThat(other.body()).contains("FORBIDDEN").contains("legacy-7").doesNotContain("bob");
        assertThat(consolidatedState()).isEqualTo(before);
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_remote_credential WHERE remote_id = 'legacy-7' AND revoked_at IS NULL AND user_name = 'bob'"))
                .as("alice's refused request revoked nothing").containsExactly(List.of("1"));
    }

    // ------------------------------------------------------------------ defect 5: re-using a known remote id

    @Test
    void remoteInitWithAKnownIdIsRefusedWithoutReplace() throws Exception {
        List<List<String>> before = consolidatedState();
        RemoteFixture b = ferry.uninitialized("sqlite", "shop-a-again");
        Cli.Result r = Cli.run("remote", "init", "--db", b.dbArg(), "--server", ferry.url, "--remote-id", "shop-a", "--user", RunningFerry.USER,
                "--password", RunningFerry.PASSWORD);
        assertThat(r.exitCode()).as(r.all()).isEqualTo(12);
        assertThat(errorLine(r)).startsWith("error: REMOTE_ID_IN_USE: remote id shop-a is already in use: registered to user 'alice'")
                .contains("--replace");
        assertThat(consolidatedState()).isEqualTo(before);
        Cli.Result status = Cli.run("remote", "status", "--db", b.dbArg());
        assertThat(status.exitCode()).as("nothing was created in the new file: " + status.all()).isEqualTo(12);
        assertThat(errorLine(status)).contains("REMOTE_NOT_INITIALIZED");

        a.app("UPDATE customer SET name = 'still shop-a' WHERE id = 1;");
        RunningFerry.sync(a);
        assertThat(cons.query("SELECT name FROM customer WHERE id = 1")).as("the original device is not refused").containsExactly(List.of("still shop-a"));
    }

    @Test
    void anotherUsersKnownIdIsRefusedWithoutNamingItsOwnerAndCannotBeReplaced() throws Exception {
        List<List<String>> before = consolidatedState();
        RemoteFixture b = ferry.uninitialized("sqlite", "bobs-shop-a");
        Cli.Result inUse = Cli.run("remote", "init", "--db", b.dbArg(), "--server", ferry.url, "--remote-id", "shop-a", "--user", BOB, "--password", BOB_PASSWORD);
        assertThat(inUse.exitCode()).as(inUse.all()).isEqualTo(12);
        assertThat(errorLine(inUse)).contains("REMOTE_ID_IN_USE").contains("shop-a is already in use by another user").doesNotContain("alice");

        Cli.Result replace = Cli.run("remote", "init", "--db", b.dbArg(), "--server", ferry.url, "--remote-id", "shop-a", "--user", BOB,
                "--password", BOB_PASSWORD, "--replace");
        assertThat(replace.exitCode()).as(replace.all()).isEqualTo(17);
        assertThat(errorLine(replace)).startsWith("error: FORBIDDEN: user 'bob' may not re-initialize remote id shop-a").doesNotContain("alice");

        HttpResponse<String> raw = post("/v1/remotes", basic(BOB, BOB_PASSWORD),
                "{\"protocol\": 1, \"remoteId\": \"shop-a\", \"incarnation\": \"" + java.util.UUID.randomUUID() + "\", \"replace\": true}");
        assertThat(raw.statusCode()).as(raw.body()).isEqualTo(403);
        assertThat(consolidatedState()).isEqualTo(before);
        RunningFerry.sync(a);
    }

    @Test
    void theReplacedDeviceIsToldItsIdWasReinitializedByWhomAndWhen() throws Exception {
        a.app("UPDATE customer SET name = 'Ada L.' WHERE id = 1;");
        RunningFerry.sync(a); // the old device is at progress 2
        RemoteFixture b = ferry.uninitialized("sqlite", "shop-a-new");
        Cli.Result init = ok(Cli.run("remote", "init", "--db", b.dbArg(), "--server", ferry.url, "--remote-id", "shop-a", "--user", RunningFerry.USER,
                "--password", RunningFerry.PASSWORD, "--replace"));
        assertThat(init.out()).contains("re-initialized");
        assertThat(cons.query("SELECT user_name, reinitialized_by, progress, last_download_position FROM ferry_remote WHERE remote_id = 'shop-a'"))
                .as("recorded, and the server forgot the old device's state").containsExactly(List.of("alice", "alice", "0", "0"));
        String at = reinitializedAt("shop-a");
        RunningFerry.sync(b);
        RunningFerry.sync(b); // the new device is at progress 2 too: the counter alone would take the old device for it
        a.app("UPDATE customer SET name = 'from the old device' WHERE id = 2;");
        List<List<String>> before = consolidatedState();

        Cli.Result old = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(old.exitCode()).as(old.all()).isEqualTo(4);
        assertThat(errorLine(old)).startsWith("error: REMOTE_REINITIALIZED: remote id shop-a was re-initialized at " + at + " by user 'alice'")
                .contains("ferry remote reset").doesNotContain("backup");
        assertThat(consolidatedState()).isEqualTo(before);
        assertThat(a.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced'")).as("the old device's change is kept")
                .containsExactly(List.of("[2]", "updated"));
        assertThat(a.query("SELECT progress, pending_upload FROM ferry_state")).containsExactly(Arrays.asList("2", null));

        // The way out the hint names: reset makes the old device shop-a again, and the new one is now the replaced one.
        ok(Cli.run("remote", "reset", "--db", a.dbArg()));
        RunningFerry.sync(a);
        assertThat(cons.query("SELECT name FROM customer WHERE id = 2")).containsExactly(List.of("from the old device"));
        Cli.Result replaced = Cli.run("remote", "sync", "--db", b.dbArg());
        assertThat(replaced.exitCode()).as(replaced.all()).isEqualTo(4);
        assertThat(errorLine(replaced)).contains("REMOTE_REINITIALIZED: remote id shop-a was re-initialized at " + reinitializedAt("shop-a") + " by user 'alice'");
    }

    // ------------------------------------------------------------------ grants

    @Test
    void aGrantedUserMaySyncTheRemoteUntilRevokedButNeverReplaceIt() throws Exception {
        // The device of shop-a is handed to bob, who signs in with his own user.
        a.app("UPDATE customer SET name = 'by bob' WHERE id = 1;");
        Cli.Result refused = Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", BOB, "--password", BOB_PASSWORD);
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(17);
        assertThat(errorLine(refused)).contains("FORBIDDEN").contains("`ferry remote grant --remote shop-a --user bob`");

        Cli.Result grant = ok(Cli.run("remote", "grant", "--consolidated", cons.db.url(), "--remote", "shop-a", "--user", BOB));
        assertThat(grant.out()).contains("Granted remote shop-a to user bob");
        assertThat(ok(Cli.run("remote", "grant", "--consolidated", cons.db.url(), "--remote", "shop-a", "--user", BOB)).out()).contains("already");
        ok(Cli.run("remote", "passwd", "--db", a.dbArg(), "--user", BOB, "--password", BOB_PASSWORD));
        RunningFerry.sync(a);
        assertThat(cons.query("SELECT name FROM customer WHERE id = 1")).containsExactly(List.of("by bob"));
        assertThat(cons.query("SELECT user_name FROM ferry_remote WHERE remote_id = 'shop-a'")).as("a grantee's upload does not take the id over")
                .containsExactly(List.of("alice"));

        RemoteFixture b = ferry.uninitialized("sqlite", "bobs-replacement");
        Cli.Result inUse = Cli.run("remote", "init", "--db", b.dbArg(), "--server", ferry.url, "--remote-id", "shop-a", "--user", BOB, "--password", BOB_PASSWORD);
        assertThat(inUse.exitCode()).isEqualTo(12);
        assertThat(errorLine(inUse)).as("a grantee may know the owner").contains("REMOTE_ID_IN_USE").contains("registered to user 'alice'");
        Cli.Result replace = Cli.run("remote", "init", "--db", b.dbArg(), "--server", ferry.url, "--remote-id", "shop-a", "--user", BOB,
                "--password", BOB_PASSWORD, "--replace");
        assertThat(replace.exitCode()).as("only the owner may replace: " + replace.all()).isEqualTo(17);

        Cli.Result revoke = ok(Cli.run("remote", "revoke", "--consolidated", cons.db.url(), "--remote", "shop-a", "--user", BOB));
        assertThat(revoke.out()).contains("Revoked remote shop-a from user bob");
        a.app("UPDATE customer SET name = 'after revoke' WHERE id = 1;");
        List<List<String>> before = consolidatedState();
        Cli.Result again = Cli.run("remote", "sync", "--db", a.dbArg());
        assertThat(again.exitCode()).as(again.all()).isEqualTo(17);
        assertThat(consolidatedState()).isEqualTo(before);
        assertThat(a.query("SELECT pk, state FROM ferry_row_state WHERE state <> 'synced'")).containsExactly(List.of("[1]", "updated"));
    }

    @Test
    void grantAndRevokeNameAnUnknownRemoteOrUser() throws Exception {
        String url = cons.db.url();
        Cli.Result noRemote = Cli.run("remote", "grant", "--consolidated", url, "--remote", "nope", "--user", BOB);
        assertThat(noRemote.exitCode()).isEqualTo(2);
        assertThat(errorLine(noRemote)).startsWith("error: REMOTE_NOT_FOUND: remote id nope is not registered");
        Cli.Result noUser = Cli.run("remote", "grant", "--consolidated", url, "--remote", "shop-a", "--user", "carol");
        assertThat(noUser.exitCode()).isEqualTo(2);
        assertThat(errorLine(noUser)).startsWith("error: USER_NOT_FOUND: user 'carol' does not exist").contains("ferry user add");
        Cli.Result revokeNoRemote = Cli.run("remote", "revoke", "--consolidated", url, "--remote", "nope", "--user", BOB);
        assertThat(errorLine(revokeNoRemote)).contains("REMOTE_NOT_FOUND");
        Cli.Result owner = Cli.run("remote", "revoke", "--consolidated", url, "--remote", "shop-a", "--user", RunningFerry.USER);
        assertThat(owner.exitCode()).isEqualTo(2);
        assertThat(errorLine(owner)).contains("USAGE").contains("owns remote id shop-a");
        assertThat(ok(Cli.run("remote", "revoke", "--consolidated", url, "--remote", "shop-a", "--user", BOB)).out()).contains("had no grant");
        assertThat(cons.query("SELECT COUNT(*) FROM ferry_remote_grant")).containsExactly(List.of("0"));
    }

    // ------------------------------------------------------------------ helpers

    /** The one line the CLI prints for a failure (the in-process server's log may share stderr). */
    private static String errorLine(Cli.Result r) {
        return r.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("(no error line) " + r.all());
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r;
    }

    /** What a refused request must leave exactly as it was: every remote's server state and the data. */
    private List<List<String>> consolidatedState() throws Exception {
        List<List<String>> rows = new ArrayList<>(cons.query("SELECT * FROM ferry_remote ORDER BY remote_id"));
        rows.addAll(cons.query("SELECT id, name, balance FROM customer ORDER BY id"));
        rows.addAll(cons.query("SELECT COUNT(*) FROM ferry_upload_error"));
        return rows;
    }

    /** {@code ferry_remote.reinitialized_at} read over plain JDBC, as the instant the server prints. */
    private String reinitializedAt(String remoteId) throws Exception {
        try (Connection c = cons.db.connect(); PreparedStatement ps = c.prepareStatement("SELECT reinitialized_at FROM ferry_remote WHERE remote_id = ?")) {
            ps.setString(1, remoteId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC).toString();
            }
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The remote's credential as its syncs send it, read from its ferry_state. */
    private static String bearer(RemoteFixture r) throws Exception {
        return "Bearer " + r.query("SELECT credential FROM ferry_state").get(0).get(0);
    }

    private HttpResponse<String> post(String path, String authorization, String json) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(ferry.url + path))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static ListAppender<ILoggingEvent> captureServerLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(HttpApi.class)).addAppender(appender);
        return appender;
    }

    private static void releaseServerLog(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(HttpApi.class)).detachAppender(appender);
    }
}
