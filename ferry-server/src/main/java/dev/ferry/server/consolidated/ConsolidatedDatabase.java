package dev.ferry.server.consolidated;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.Dialects;
import dev.ferry.server.config.ServerConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The consolidated database as the server sees it: a connection pool, its dialect, Ferry's system
 * tables (migrated with Flyway) and its identity. Thread-safe; close it once.
 */
public final class ConsolidatedDatabase implements AutoCloseable {
    private final HikariDataSource pool;
    private final ConsolidatedDialect dialect;
    private final String identity;

    private ConsolidatedDatabase(HikariDataSource pool, ConsolidatedDialect dialect, String identity) {
        this.pool = pool;
        this.dialect = dialect;
        this.identity = identity;
    }

    /** Connects, confirms the database type, migrates Ferry's system tables and reads the identity. */
    /** Checks the database before Ferry's own tables are created or migrated; throws to leave it untouched. */
    @FunctionalInterface
    public interface BeforeMigration {
        BeforeMigration NOTHING = (c, dialect) -> { };

        void check(Connection c, ConsolidatedDialect dialect) throws SQLException;
    }

    public static ConsolidatedDatabase open(String url, String user, String password, int poolSize) {
        return open(url, user, password, poolSize, BeforeMigration.NOTHING);
    }

    public static ConsolidatedDatabase open(String url, String user, String password, int poolSize, BeforeMigration check) {
        ConsolidatedDialect dialect = Dialects.consolidated(url);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        if (user != null && !user.isEmpty()) {
            hc.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(1);
        hc.setPoolName("ferry-consolidated");
        hc.setInitializationFailTimeout(10_000);
        dialect.driverProperties().forEach(hc::addDataSourceProperty);
        if (dialect.connectionInitSql() != null) {
            hc.setConnectionInitSql(dialect.connectionInitSql());
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new FerryException(ErrorCode.DATABASE_UNAVAILABLE, "cannot connect to the consolidated database "
                    + Dialects.redact(url) + ": " + rootMessage(e), "check that the database runs and the URL, user and password are right", e);
        }
        try {
            try (Connection c = ds.getConnection()) {
                Dialects.confirm(dialect, c);
                check.check(c, dialect);
            }
            migrate(ds, dialect);
            return new ConsolidatedDatabase(ds, dialect, readIdentity(ds));
        } catch (SQLException | RuntimeException e) {
            ds.close();
            if (e instanceof FerryException fe) {
                throw fe;
            }
            throw new FerryException(ErrorCode.DATABASE_ERROR, "cannot prepare the consolidated database: " + rootMessage(e), null, e);
        }
    }

    public static ConsolidatedDatabase open(ServerConfig config) {
        return open(config, BeforeMigration.NOTHING);
    }

    public static ConsolidatedDatabase open(ServerConfig config, BeforeMigration check) {
        return open(config.consolidatedUrl(), config.consolidatedUser(), config.consolidatedPassword(), config.poolSize(), check);
    }

    private static void migrate(DataSource ds, ConsolidatedDialect dialect) {
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations(dialect.migrationLocation())
                    .table("ferry_schema_history")
                    // The consolidated schema already holds the user's tables: start Ferry's history below V1.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new FerryException(ErrorCode.DATABASE_ERROR, "migrating Ferry's system tables failed: " + e.getMessage(), null, e);
        }
    }

    private static String readIdentity(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM ferry_database")) {
            if (!rs.next()) {
                throw new FerryException(ErrorCode.DATABASE_ERROR, "ferry_database has no identity row");
            }
            return rs.getString(1);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** A pooled connection in auto-commit mode; callers set the transaction mode they need. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    public DataSource dataSource() {
        return pool;
    }

    public ConsolidatedDialect dialect() {
        return dialect;
    }

    /** The UUID that identifies this consolidated database to every remote. */
    public String identity() {
        return identity;
    }

    @Override
    public void close() {
        pool.close();
    }
}
