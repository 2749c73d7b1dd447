package dev.ferry.e2e;

import dev.ferry.server.FerryServer;
import dev.ferry.server.auth.Users;
import dev.ferry.server.config.ServerConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consolidated database with a running Ferry server (any free port, sync user alice / s3cret) and
 * the remotes a test creates through the CLI. Closing it stops the server, deletes the remotes and
 * drops the database.
 */
final class RunningFerry implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "s3cret";

    final ConsolidatedFixture cons;
    FerryServer server;
    final String url;
    private ServerConfig config;
    private final Map<String, String> startFlags;
    private final List<RemoteFixture> remotes = new ArrayList<>();

    private RunningFerry(ConsolidatedFixture cons, FerryServer server, String url, ServerConfig config, Map<String, String> startFlags) {
        this.cons = cons;
        this.server = server;
        this.url = url;
        this.config = config;
        this.startFlags = startFlags;
    }

    /**
     * Stops the server and starts it again on the same port and settings (after a schema change, say);
     * start with a fixed {@code server.port} so the remotes find it again.
     */
    void restart() {
        server.close();
        server = FerryServer.start(config);
    }

    /** {@link #restart()} with some settings changed (flags, as {@link #start} takes them). */
    void restart(Map<String, String> changed) {
        server.close();
        Map<String, String> flags = new LinkedHashMap<>(startFlags);
        flags.putAll(changed);
        config = ServerConfig.load(null, Map.of(), flags);
        server = FerryServer.start(config);
    }

    /**
     * Starts a server on {@code cons}; {@code config} (a YAML file) and {@code settings} may add to the defaults.
     * Plain HTTP on 127.0.0.1 unless {@code settings} configure TLS ({@code server.tls.*}): then HTTPS, and
     * {@link #url} names localhost (the name test certificates carry).
     */
    static RunningFerry start(ConsolidatedFixture cons, Path config, Map<String, String> settings) {
        Map<String, String> flags = new LinkedHashMap<>(Map.of(ServerConfig.CONSOLIDATED_URL.key(), cons.db.url(), ServerConfig.PORT.key(), "0",
                ServerConfig.HOST.key(), "127.0.0.1", ServerConfig.PASSWORD_ITERATIONS.key(), "10000",
                ServerConfig.PLAIN_HTTP.key(), "true"));
        boolean tls = settings.keySet().stream().anyMatch(k -> k.startsWith("server.tls."));
        if (tls) {
            flags.remove(ServerConfig.PLAIN_HTTP.key());
        }
        flags.putAll(settings);
        ServerConfig loaded = ServerConfig.load(config, Map.of(), flags);
        FerryServer server = FerryServer.start(loaded);
        new Users(server.database(), 10_000).add(USER, PASSWORD.toCharArray());
        return new RunningFerry(cons, server, (tls ? "https://localhost:" : "http://127.0.0.1:") + server.port(), loaded, Map.copyOf(flags));
    }

    /** Creates a remote with {@code ferry remote init} against this server. */
    RemoteFixture remote(String kind, String id) throws Exception {
        return remote(kind, id, url);
    }

    /** A remote database file, deleted with the rest, that {@code ferry remote init} has not touched yet. */
    RemoteFixture uninitialized(String kind, String id) throws Exception {
        return track(new RemoteFixture(kind, id));
    }

    /** Deletes {@code r} (a copy of a remote, say) with the rest. */
    RemoteFixture track(RemoteFixture r) {
        remotes.add(r);
        return r;
    }

    /** Creates a remote that talks to the server through {@code serverUrl} (a proxy, say). */
    RemoteFixture remote(String kind, String id, String serverUrl) throws Exception {
        RemoteFixture r = uninitialized(kind, id);
        Cli.Result res = Cli.run("remote", "init", "--db", r.dbArg(), "--server", serverUrl, "--remote-id", id, "--user", USER, "--password", PASSWORD);
        assertThat(res.exitCode()).as(res.all()).isZero();
        return r;
    }

    /** {@code ferry remote sync}, which must succeed. */
    static Cli.Result sync(RemoteFixture r, String... extra) {
        List<String> args = new ArrayList<>(List.of("remote", "sync", "--db", r.dbArg()));
        args.addAll(List.of(extra));
        Cli.Result res = Cli.run(args.toArray(String[]::new));
        assertThat(res.exitCode()).as(res.all()).isZero();
        return res;
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (RemoteFixture r : remotes) {
            r.close();
        }
        cons.db.close();
    }
}
