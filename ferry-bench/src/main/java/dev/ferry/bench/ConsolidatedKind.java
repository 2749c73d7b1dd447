package dev.ferry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The consolidated databases the bench runs against, on the servers the tests use (PostgreSQL
 * 127.0.0.1:5432 user postgres, MariaDB 127.0.0.1:3306 root; FERRY_TEST_PG_HOST / FERRY_TEST_MARIADB_HOST
 * override host:port) or an embedded H2 file. Each {@link #create} makes a fresh, empty database.
 */
enum ConsolidatedKind {
    POSTGRESQL("postgresql", "TIMESTAMP(6)"),
    MARIADB("mariadb", "DATETIME(6)"), // MariaDB's TIMESTAMP spans 1970-2038 and may auto-update: DATETIME is its plain timestamp
    H2("h2", "TIMESTAMP(6)");

    private static final String PG = envOr("FERRY_TEST_PG_HOST", "127.0.0.1:5432");
    private static final String MARIADB_HOST = envOr("FERRY_TEST_MARIADB_HOST", "127.0.0.1:3306");

    private final String label;
    private final String timestampType;

    ConsolidatedKind(String label, String timestampType) {
        this.label = label;
        this.timestampType = timestampType;
    }

    String label() {
        return label;
    }

    static ConsolidatedKind named(String name) {
        for (ConsolidatedKind k : values()) {
            if (k.label.equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("--databases: unknown database " + name + " (known: postgresql, mariadb, h2)");
    }

    /** The bench's table, as an application would have it on this database. */
    String itemsDdl(String table) {
        return "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(100), qty INT, price NUMERIC(12,2), updated "
                + timestampType + ")";
    }

    /**
     * A URL for the baseline's JDBC batch, with the driver's own batching switched on: what a careful
     * application would do, so the baseline is the fast plain path rather than a straw man.
     */
    String batchUrl(String url) {
        return switch (this) {
            case POSTGRESQL -> url + "&reWriteBatchedInserts=true";
            case MARIADB -> url + "&useBulkStmts=true";
            case H2 -> url;
        };
    }

    /** A fresh database named {@code name} (H2: a file under {@code dir}); closing it drops it. */
    BenchDatabase create(String name, Path dir) throws SQLException {
        switch (this) {
            case POSTGRESQL -> {
                String admin = "jdbc:postgresql://" + PG + "/postgres?user=postgres";
                exec(admin, "CREATE DATABASE " + name);
                return new BenchDatabase(this, "jdbc:postgresql://" + PG + "/" + name + "?user=postgres",
                        () -> exec(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
            }
            case MARIADB -> {
                String admin = "jdbc:mariadb://" + MARIADB_HOST + "/?user=root&password=";
                exec(admin, "CREATE DATABASE " + name);
                return new BenchDatabase(this, "jdbc:mariadb://" + MARIADB_HOST + "/" + name + "?user=root&password=",
                        () -> exec(admin, "DROP DATABASE IF EXISTS " + name));
            }
            default -> {
                Path home = dir.resolve(name);
                try {
                    Files.createDirectories(home);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                // AUTO_SERVER: the server JVM holds the file open, and the bench's own writes (and `ferry user add`)
                // reach it through the server's embedded TCP listener, as another application on the machine would.
                return new BenchDatabase(this, "jdbc:h2:file:" + home.resolve("db").toAbsolutePath() + ";AUTO_SERVER=TRUE",
                        () -> deleteTree(home));
            }
        }
    }

    /** The database's version, for the machine description. */
    String version(Connection c) throws SQLException {
        String sql = switch (this) {
            case POSTGRESQL -> "SHOW server_version";
            case MARIADB -> "SELECT VERSION()";
            case H2 -> "SELECT H2VERSION()";
        };
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    private static void exec(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not run '" + sql + "': " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[bench] could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static String envOr(String key, String def) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? def : v;
    }
}
