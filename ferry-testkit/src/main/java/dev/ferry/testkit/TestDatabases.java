package dev.ferry.testkit;

import org.junit.jupiter.api.Assumptions;

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
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Creates a fresh database per test on the real servers this project tests against: PostgreSQL on
 * 127.0.0.1:5432 (user postgres, trust) and MariaDB on 127.0.0.1:3306 (root, empty password), plus
 * embedded H2 and SQLite files. Hosts and ports can be overridden with FERRY_TEST_PG_HOST /
 * FERRY_TEST_MARIADB_HOST ("host:port"). Databases get the server's defaults (encoding, collation),
 * never settings that would make Ferry's life easier than its users'.
 *
 * <p>When a server is unreachable the test is skipped with a printed reason, except under CI
 * ({@code CI=true}), where the test fails: CI must never skip real-database tests.
 */
public final class TestDatabases {
    private static final String PG = envOr("FERRY_TEST_PG_HOST", "127.0.0.1:5432");
    private static final String MARIADB = envOr("FERRY_TEST_MARIADB_HOST", "127.0.0.1:3306");

    private TestDatabases() {
    }

    public static TestDatabase create(String kind) {
        return switch (kind) {
            case "postgresql" -> postgres();
            case "mariadb" -> mariadb();
            case "h2" -> h2();
            case "sqlite" -> sqlite();
            default -> throw new IllegalArgumentException("unknown database kind " + kind);
        };
    }

    public static TestDatabase postgres() {
        String name = uniqueName();
        String admin = "jdbc:postgresql://" + PG + "/postgres?user=postgres";
        exec(admin, "CREATE DATABASE " + name, "PostgreSQL at " + PG);
        String url = "jdbc:postgresql://" + PG + "/" + name + "?user=postgres";
        return new Server("postgresql", url, () -> exec(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "PostgreSQL"));
    }

    public static TestDatabase mariadb() {
        String name = uniqueName();
        String admin = "jdbc:mariadb://" + MARIADB + "/?user=root&password=";
        // The server's default character set and collation (utf8mb4_general_ci on 10.11), as users have them:
        // a binary collation here once hid that Ferry compared keys differently from the database (issue 10).
        exec(admin, "CREATE DATABASE " + name, "MariaDB at " + MARIADB);
        String url = "jdbc:mariadb://" + MARIADB + "/" + name + "?user=root&password=";
        return new Server("mariadb", url, () -> exec(admin, "DROP DATABASE IF EXISTS " + name, "MariaDB"));
    }

    public static TestDatabase h2() {
        Path dir = tempDir("ferry-h2-");
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";AUTO_SERVER=FALSE";
        return new Server("h2", url, () -> deleteTree(dir));
    }

    public static TestDatabase sqlite() {
        Path dir = tempDir("ferry-sqlite-");
        String url = "jdbc:sqlite:" + dir.resolve("remote.db").toAbsolutePath();
        return new Server("sqlite", url, () -> deleteTree(dir));
    }

    /** The file of an embedded database URL (sqlite) so tests can open it with the sqlite3 CLI. */
    public static Path sqliteFile(TestDatabase db) {
        return Path.of(db.url().substring("jdbc:sqlite:".length()));
    }

    /** True when running under CI, where unreachable database servers fail tests instead of skipping them. */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static void exec(String url, String sql, String what) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            if (isUnreachable(e) && !underCi()) {
                String reason = what + " is not reachable (" + e.getMessage() + "); skipping";
                System.err.println("[ferry-testkit] " + reason);
                Assumptions.abort(reason);
            }
            throw new IllegalStateException("could not run '" + sql + "' on " + what + ": " + e.getMessage(), e);
        }
    }

    private static boolean isUnreachable(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }

    private static String uniqueName() {
        return "ferry_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: temp files are cleaned by the OS eventually
        }
    }

    private static String envOr(String key, String def) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? def : v;
    }

    private record Server(String kind, String url, Runnable dropper) implements TestDatabase {
        @Override
        public void close() {
            dropper.run();
        }
    }
}
