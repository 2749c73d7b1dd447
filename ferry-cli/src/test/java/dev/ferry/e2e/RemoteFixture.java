package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A remote database file for one test, and a way to change it behind Ferry's back the way an
 * application would: the real {@code sqlite3} CLI for SQLite, JDBC for H2.
 */
final class RemoteFixture implements AutoCloseable {
    private final String kind;
    private final Path dir;
    private final Path file;

    RemoteFixture(String kind, String name) throws Exception {
        this.kind = kind;
        this.dir = Files.createTempDirectory("ferry-remote-");
        this.file = kind.equals("sqlite") ? dir.resolve(name + ".db") : dir.resolve(name + ".mv.db");
    }

    /** What users pass as {@code --db}. */
    String dbArg() {
        return file.toString();
    }

    String url() {
        return kind.equals("sqlite") ? "jdbc:sqlite:" + file : "jdbc:h2:file:" + dir.resolve(file.getFileName().toString().replace(".mv.db", ""));
    }

    /** Changes the remote as an application would. */
    void app(String sql) throws Exception {
        if (kind.equals("sqlite")) {
            ConsolidatedFixture.run(List.of("sqlite3", "-bail", file.toString(), "PRAGMA foreign_keys=ON; " + sql));
        } else {
            try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
    }

    List<List<String>> query(String sql) throws SQLException {
        return queries(List.of(sql));
    }

    /** The rows of several queries, one after another, read over one connection (opening H2 is slow). */
    List<List<String>> queries(List<String> sqls) throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            List<List<String>> rows = new ArrayList<>();
            for (String sql : sqls) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    rows.addAll(ResultRows.read(rs));
                }
            }
            return rows;
        }
    }

    /**
     * A byte copy of this remote under another name (same remote id, same pending rows): a second
     * client of the same remote, like a restored copy or a client retrying from another machine.
     * Call it while no connection has the file open, so the whole database is in the main file.
     */
    RemoteFixture copy(String name) throws Exception {
        RemoteFixture copy = new RemoteFixture(kind, name);
        Files.copy(file, copy.file);
        for (String suffix : List.of("-wal", "-shm")) {
            Path side = Path.of(file + suffix);
            if (Files.exists(side)) {
                Files.copy(side, Path.of(copy.file + suffix));
            }
        }
        return copy;
    }

    /**
     * A table name as an application writes it in its SQL on this remote: unquoted, as on the server
     * (an H2 remote creates a plain lower-case server name in upper case, which is what H2 makes of the
     * unquoted name, issue 13).
     */
    String table(String consolidatedName) {
        return consolidatedName;
    }

    @Override
    public void close() throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static boolean sqliteCliAvailable() {
        return TestDatabases.underCi() || Files.isExecutable(Path.of("/usr/bin/sqlite3"));
    }
}
