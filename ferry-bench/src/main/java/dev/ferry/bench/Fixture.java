package dev.ferry.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * What a user sets up before syncing, done the way the README says: a fresh consolidated database with
 * the {@code items} table (optionally filled before the server first starts), the server JVM on it,
 * a sync user added with {@code ferry user add}, and remotes made with {@code ferry remote init}.
 * {@link #close()} stops the server and drops the database.
 */
final class Fixture implements AutoCloseable {
    static final String USER = "bench";
    static final String PASSWORD = "bench-password";

    private final Bench bench;
    private final BenchDatabase db;
    private final Path dir;
    private ServerProcess server;
    private MemoryProbe probe;
    private int remotes;

    private Fixture(Bench bench, BenchDatabase db, Path dir) {
        this.bench = bench;
        this.db = db;
        this.dir = dir;
    }

    /**
     * @param preloadRows rows inserted before the server starts (an existing database Ferry is put on)
     * @param serverEnv   configuration for the server through its environment
     */
    static Fixture start(Bench bench, ConsolidatedKind kind, String what, int preloadRows, Map<String, String> serverEnv) throws SQLException {
        BenchDatabase db = bench.newDatabase(kind);
        Fixture f = new Fixture(bench, db, bench.dir(what + "-" + kind.label()));
        try {
            try (Connection c = DriverManager.getConnection(kind.batchUrl(db.url())); Statement s = c.createStatement()) {
                s.execute(kind.itemsDdl(Items.TABLE));
                if (preloadRows > 0) {
                    Bench.log(what + " " + kind.label() + ": loading " + preloadRows + " rows into the consolidated database");
                    Items.insertTyped(c, Items.TABLE, 1, preloadRows, 0);
                }
            }
            Bench.log(what + " " + kind.label() + ": starting the server");
            f.server = ServerProcess.start(bench.cli().jar(), db.url(), f.dir, serverEnv);
            f.probe = MemoryProbe.attach(f.server.pid());
            bench.cli().run("user", "add", "--consolidated", db.url(), "--name", USER, "--password", PASSWORD);
            return f;
        } catch (RuntimeException | SQLException e) {
            f.close();
            throw e;
        }
    }

    BenchDatabase db() {
        return db;
    }

    String serverUrl() {
        return server.url();
    }

    MemoryProbe probe() {
        return probe;
    }

    /** A new SQLite remote made by {@code ferry remote init}; returns its file. */
    Path initRemote() {
        Path file = dir.resolve("remote-" + (++remotes) + ".db");
        bench.cli().run("remote", "init", "--db", file.toString(), "--server", server.url(), "--remote-id",
                "bench-" + db.kind().label() + "-" + remotes, "--user", USER, "--password", PASSWORD);
        return file;
    }

    /** A plain SQLite file (no Ferry) for baselines. */
    Path plainSqliteFile(String name) {
        return dir.resolve(name + ".db");
    }

    /** {@code ferry remote sync --db FILE} in a new JVM, timed, with the server's memory meanwhile. */
    Measured sync(Path remote) {
        probe.begin();
        Duration t = bench.cli().run("remote", "sync", "--db", remote.toString());
        return new Measured(t, probe.end());
    }

    static String sqliteUrl(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    @Override
    public void close() {
        if (probe != null) {
            probe.close();
        }
        if (server != null) {
            server.close();
        }
        db.close();
    }
}
