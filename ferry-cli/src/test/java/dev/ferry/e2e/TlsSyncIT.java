package dev.ferry.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ferry.client.PinnedServerCertificate;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.tls.Listener;
import dev.ferry.testkit.TestCertificate;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11: the server serves HTTPS from a keystore or PEM files made here with {@code keytool}; the real
 * CLI syncs over it only when it trusts the certificate (pinned with {@code --trust-cert}, stored in the
 * remote) and the certificate names the host it connected to. PostgreSQL consolidated, SQLite remote.
 */
class TlsSyncIT {
    @TempDir
    Path dir;

    private ConsolidatedFixture cons;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void schema() throws Exception {
        cons = new ConsolidatedFixture(TestDatabases.create("postgresql"));
        cons.createSchema();
        cons.jdbc("INSERT INTO customer (id, name, balance) VALUES (1, 'Ada', 120.50)");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (open.stream().noneMatch(c -> c instanceof RunningFerry)) {
            cons.db.close();
        }
    }

    @Test
    void aRemoteThatPinsTheServersSelfSignedCertificateSyncsBothWaysOverHttpsFromAPkcs12Keystore() throws Exception {
        TestCertificate cert = TestCertificate.localhost(dir, "server");
        RunningFerry ferry = start(Map.of(ServerConfig.TLS_KEYSTORE.key(), cert.keystore().toString(),
                ServerConfig.TLS_KEYSTORE_PASSWORD.key(), cert.password()));
        assertThat(ferry.url).startsWith("https://localhost:");
        RemoteFixture r = ferry.uninitialized("sqlite", "shop-a");
        Cli.Result init = init(ferry.url, r, "--trust-cert", cert.certificate().toString());
        assertThat(init.exitCode()).as(init.all()).isZero();

        assertSyncsBothWays(ferry, r);
        Cli.Result status = Cli.run("remote", "status", "--db", r.dbArg());
        assertThat(status.out()).contains("server certificate: pinned, SHA-256 "
                + PinnedServerCertificate.fingerprint(PinnedServerCertificate.read(cert.certificate())));
    }

    @Test
    void theSameOverHttpsFromAPemCertificateAndKey() throws Exception {
        TestCertificate cert = TestCertificate.localhost(dir, "server");
        RunningFerry ferry = start(Map.of(ServerConfig.TLS_CERTIFICATE.key(), cert.certificate().toString(),
                ServerConfig.TLS_KEY.key(), cert.key().toString()));
        RemoteFixture r = ferry.uninitialized("sqlite", "shop-a");
        Cli.Result init = init(ferry.url, r, "--trust-cert", cert.certificate().toString());
        assertThat(init.exitCode()).as(init.all()).isZero();
        assertSyncsBothWays(ferry, r);
    }

    @Test
    void aFerryServerProcessConfiguredByEnvironmentVariablesServesHttpsFromPemFiles() throws Exception {
        TestCertificate cert = TestCertificate.localhost(dir, "server");
        try (ChildJvm server = ChildJvm.start(dir.resolve("server.log"), Map.of("FERRY_SERVER_TLS_CERTIFICATE", cert.certificate().toString(),
                "FERRY_SERVER_TLS_KEY", cert.key().toString(), "FERRY_SERVER_HOST", "127.0.0.1"),
                "server", "--consolidated", cons.db.url(), "--port", "0")) {
            Pattern listening = Pattern.compile("Ferry server listening on port (\\d+)");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .failFast(() -> assertThat(server.isAlive()).as(server.output()).isTrue())
                    .until(() -> listening.matcher(server.output()).find());
            Matcher m = listening.matcher(server.output());
            assertThat(m.find()).isTrue();
            assertThat(server.output()).contains("Ferry server listening on port " + m.group(1) + " (https, consolidated database ")
                    .contains("listening on https://127.0.0.1:" + m.group(1));
            Cli.Result user = Cli.run("user", "add", "--consolidated", cons.db.url(), "--name", RunningFerry.USER, "--password", RunningFerry.PASSWORD);
            assertThat(user.exitCode()).as(user.all()).isZero();
            try (RemoteFixture r = new RemoteFixture("sqlite", "shop-a")) {
                Cli.Result init = init("https://localhost:" + m.group(1), r, "--trust-cert", cert.certificate().toString());
                assertThat(init.exitCode()).as(init.all()).isZero();
                RunningFerry.sync(r);
                assertThat(r.query("SELECT name FROM customer WHERE id = 1")).containsExactly(List.of("Ada"));
            }
        }
    }

    @Test
    void withoutTrustCertTheSystemTrustStoreRefusesATestCertificateWithTlsUntrusted() throws Exception {
        TestCertificate cert = TestCertificate.localhost(dir, "server");
        RunningFerry ferry = start(Map.of(ServerConfig.TLS_KEYSTORE.key(), cert.keystore().toString(),
                ServerConfig.TLS_KEYSTORE_PASSWORD.key(), cert.password()));
        RemoteFixture r = ferry.uninitialized("sqlite", "shop-a");
        Cli.Result init = init(ferry.url, r);
        assertThat(init.exitCode()).as(init.all()).isEqualTo(20);
        assertThat(init.err()).containsPattern("(?m)^error: TLS_UNTRUSTED: the certificate of https://localhost:\\d+ is not trusted")
                .contains("--trust-cert FILE").doesNotContain("\tat ");
        assertThat(count("SELECT COUNT(*) FROM ferry_remote")).isZero();
    }

    @Test
    void aCertificatePinnedForAnotherKeyIsRefusedAndSyncTrustCertReplacesThePin() throws Exception {
        TestCertificate cert = TestCertificate.localhost(dir, "server");
        TestCertificate other = TestCertificate.localhost(dir, "other");
        RunningFerry ferry = start(Map.of(ServerConfig.TLS_KEYSTORE.key(), cert.keystore().toString(),
                ServerConfig.TLS_KEYSTORE_PASSWORD.key(), cert.password()));
        RemoteFixture r = ferry.uninitialized("sqlite", "shop-a");
        Cli.Result wrong = init(ferry.url, r, "--trust-cert", other.certificate().toString());
        assertThat(wrong.exitCode()).as(wrong.all()).isEqualTo(20);
        assertThat(wrong.err()).contains("TLS_UNTRUSTED").contains("only the pinned certificate "
                + PinnedServerCertificate.fingerprint(PinnedServerCertificate.read(other.certificate())));

        RemoteFixture s = ferry.uninitialized("sqlite", "shop-b");
        assertThat(init(ferry.url, s, "--trust-cert", cert.certificate().toString()).exitCode()).isZero();
        RunningFerry.sync(s);
        // The pin is stored: replacing it with the wrong certificate makes this and later syncs fail...
        Cli.Result replaced = Cli.run("remote", "sync", "--db", s.dbArg(), "--trust-cert", other.certificate().toString());
        assertThat(replaced.exitCode()).as(replaced.all()).isEqualTo(20);
        Cli.Result later = Cli.run("remote", "sync", "--db", s.dbArg());
        assertThat(later.exitCode()).as(later.all()).isEqualTo(20);
        // ...until the right one is pinned again.
        RunningFerry.sync(s, "--trust-cert", cert.certificate().toString());
        RunningFerry.sync(s);
        // remote reset (a move to another server) pins too.
        Cli.Result reset = Cli.run("remote", "reset", "--db", s.dbArg(), "--trust-cert", other.certificate().toString());
        assertThat(reset.exitCode()).as(reset.all()).isZero();
        assertThat(Cli.run("remote", "sync", "--db", s.dbArg()).exitCode()).isEqualTo(20);
    }

    @Test
    void aCertificateForLocalhostOnlyIsRefusedWhenTheClientConnectsTo127001() throws Exception {
        TestCertificate cert = TestCertificate.create(dir, "named", "EC", "dns:localhost", 365, null);
        RunningFerry ferry = start(Map.of(ServerConfig.TLS_KEYSTORE.key(), cert.keystore().toString(),
                ServerConfig.TLS_KEYSTORE_PASSWORD.key(), cert.password()));
        RemoteFixture r = ferry.uninitialized("sqlite", "shop-a");
        String byAddress = "https://127.0.0.1:" + ferry.server.port();
        Cli.Result init = init(byAddress, r, "--trust-cert", cert.certificate().toString());
        assertThat(init.exitCode()).as(init.all()).isEqualTo(20);
        assertThat(init.err()).contains("TLS_UNTRUSTED: the certificate of " + byAddress + " is not for host 127.0.0.1");
        // The same certificate, pinned, by the name it carries:
        assertThat(init(ferry.url, r, "--trust-cert", cert.certificate().toString()).exitCode()).isZero();
    }

    @Test
    void theClientRefusesHttpsWhenAJvmPropertyTurnsHostNameVerificationOff() throws Exception {
        TestCertificate cert = TestCertificate.localhost(dir, "server");
        RunningFerry ferry = start(Map.of(ServerConfig.TLS_KEYSTORE.key(), cert.keystore().toString(),
                ServerConfig.TLS_KEYSTORE_PASSWORD.key(), cert.password()));
        RemoteFixture r = ferry.uninitialized("sqlite", "shop-a");
        String property = "jdk.internal.httpclient.disableHostnameVerification";
        System.setProperty(property, "true");
        try {
            Cli.Result init = init(ferry.url, r, "--trust-cert", cert.certificate().toString());
            assertThat(init.exitCode()).as(init.all()).isEqualTo(2);
            assertThat(init.err()).contains("error: CONFIG_INVALID: the JVM property " + property + " turns off host name verification");
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void aServerWithNeitherTlsNorPlainHttpRefusesToStartNamingBothWays() throws Exception {
        Path log = dir.resolve("server.log");
        try (ChildJvm server = ChildJvm.start(log, Map.of(), "server", "--consolidated", cons.db.url(), "--port", "0")) {
            assertThat(server.waitFor(120)).as(server.output()).isEqualTo(2);
            assertThat(server.output()).contains("error: CONFIG_INVALID: no TLS configured and server.plainHttp is not true")
                    .contains("server.tls.keystore").contains("server.tls.certificate").contains("--plain-http");
        }
        assertThat(count("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'ferry_remote'"))
                .as("refused before touching the consolidated database").isZero();
    }

    @Test
    void plainHttpOnEveryInterfaceIsWarnedAboutAndOnLoopbackIsNot() throws Exception {
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        Logger logger = (Logger) LoggerFactory.getLogger(Listener.class);
        logger.addAppender(warnings);
        try {
            RunningFerry loopback = start(Map.of());
            assertThat(warnings.list).isEmpty();
            loopback.close();
            open.remove(loopback);
            cons = new ConsolidatedFixture(TestDatabases.create("postgresql"));
            cons.createSchema();
            RunningFerry everywhere = start(Map.of(ServerConfig.HOST.key(), "0.0.0.0"));
            assertThat(warnings.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).startsWith("Serving plain HTTP on 0.0.0.0: passwords and data cross the network unencrypted");
            });
            RemoteFixture r = everywhere.remote("sqlite", "shop-a");
            RunningFerry.sync(r);
            assertThat(Cli.run("remote", "init", "--db", everywhere.uninitialized("sqlite", "on-loopback").dbArg(), "--server", everywhere.url,
                    "--remote-id", "on-loopback", "--user", RunningFerry.USER, "--password", RunningFerry.PASSWORD).err()).doesNotContain("warning");
            // The client warns too, where the URL is chosen (TEST-NET-1: nothing answers, the connect times out).
            Cli.Result far = Cli.run("remote", "init", "--db", everywhere.uninitialized("sqlite", "far").dbArg(), "--server", "http://192.0.2.1:8765",
                    "--remote-id", "far", "--user", RunningFerry.USER, "--password", RunningFerry.PASSWORD, "--connect-timeout", "1");
            assertThat(far.err()).startsWith("warning: http://192.0.2.1:8765 is plain HTTP: the password and the data cross the network unencrypted");
        } finally {
            logger.detachAppender(warnings);
        }
    }

    private long count(String sql) throws Exception {
        return Long.parseLong(cons.query(sql).get(0).get(0));
    }

    private RunningFerry start(Map<String, String> settings) {
        RunningFerry ferry = RunningFerry.start(cons, null, settings);
        open.add(ferry);
        return ferry;
    }

    private static Cli.Result init(String url, RemoteFixture r, String... extra) {
        List<String> args = new ArrayList<>(List.of("remote", "init", "--db", r.dbArg(), "--server", url, "--remote-id",
                Path.of(r.dbArg()).getFileName().toString().replace(".db", ""), "--user", RunningFerry.USER, "--password", RunningFerry.PASSWORD));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private void assertSyncsBothWays(RunningFerry ferry, RemoteFixture r) throws Exception {
        RunningFerry.sync(r);
        assertThat(r.query("SELECT name FROM customer WHERE id = 1")).containsExactly(List.of("Ada"));
        r.app("INSERT INTO customer (id, name, balance) VALUES (2, 'Grace', 19.99)");
        cons.client("UPDATE customer SET name = 'Ada L.' WHERE id = 1");
        RunningFerry.sync(r);
        assertThat(cons.query("SELECT name FROM customer WHERE id = 2")).containsExactly(List.of("Grace"));
        assertThat(r.query("SELECT name FROM customer WHERE id = 1")).containsExactly(List.of("Ada L."));
    }
}
