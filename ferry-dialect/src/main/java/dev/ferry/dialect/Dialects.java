package dev.ferry.dialect;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.dialect.h2.H2ConsolidatedDialect;
import dev.ferry.dialect.h2.H2RemoteDialect;
import dev.ferry.dialect.mariadb.MariaDbDialect;
import dev.ferry.dialect.postgres.PostgresDialect;
import dev.ferry.dialect.sqlite.SqliteDialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Picks the dialect for a JDBC URL, then lets the connected database's own metadata confirm it (a
 * {@code jdbc:mysql:} URL that reaches a MySQL server is refused, not treated as MariaDB). An
 * unsupported database is an explicit error, never a generic fallback.
 */
public final class Dialects {
    private Dialects() {
    }

    public static ConsolidatedDialect consolidated(String jdbcUrl) {
        String url = jdbcUrl == null ? "" : jdbcUrl;
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return new MariaDbDialect();
        }
        if (url.startsWith("jdbc:h2:")) {
            return new H2ConsolidatedDialect();
        }
        throw new FerryException(ErrorCode.CONFIG_INVALID, "Ferry cannot use " + redact(url)
                + " as the consolidated database", "supported: PostgreSQL (jdbc:postgresql:), MariaDB (jdbc:mariadb:), H2 (jdbc:h2:)");
    }

    public static RemoteDialect remote(String jdbcUrl) {
        String url = jdbcUrl == null ? "" : jdbcUrl;
        if (url.startsWith("jdbc:sqlite:")) {
            return new SqliteDialect();
        }
        if (url.startsWith("jdbc:h2:")) {
            return new H2RemoteDialect();
        }
        throw new FerryException(ErrorCode.CONFIG_INVALID, "Ferry cannot use " + redact(url) + " as a remote database",
                "supported: SQLite (jdbc:sqlite:) and H2 (jdbc:h2:)");
    }

    /** Turns a remote's file path into a JDBC URL: {@code *.mv.db} or {@code h2:} means H2, anything else SQLite. */
    public static String remoteUrl(String pathOrUrl) {
        if (pathOrUrl.startsWith("jdbc:")) {
            return pathOrUrl;
        }
        if (pathOrUrl.startsWith("h2:")) {
            return "jdbc:h2:file:" + java.nio.file.Path.of(pathOrUrl.substring(3)).toAbsolutePath();
        }
        if (pathOrUrl.endsWith(".mv.db")) {
            String base = pathOrUrl.substring(0, pathOrUrl.length() - ".mv.db".length());
            return "jdbc:h2:file:" + java.nio.file.Path.of(base).toAbsolutePath();
        }
        return "jdbc:sqlite:" + java.nio.file.Path.of(pathOrUrl).toAbsolutePath();
    }

    /** Checks that the database behind {@code c} is the one {@code dialect} was chosen for. */
    public static void confirm(Dialect dialect, Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        String version = c.getMetaData().getDatabaseProductVersion().toLowerCase(Locale.ROOT);
        boolean ok = switch (dialect.name()) {
            case "postgresql" -> product.contains("postgresql");
            case "mariadb" -> product.contains("mariadb") || version.contains("mariadb");
            case "h2" -> product.contains("h2");
            case "sqlite" -> product.contains("sqlite");
            default -> false;
        };
        if (!ok) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "the URL names " + dialect.name() + " but the database says it is "
                    + c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion(),
                    "Ferry supports PostgreSQL, MariaDB and H2 as consolidated databases");
        }
    }

    /** The URL without anything that looks like a password ({@code password=...}, {@code //user:secret@host}), for messages and logs. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll(":[^:/@;?&]+@", ":***@");
    }
}
