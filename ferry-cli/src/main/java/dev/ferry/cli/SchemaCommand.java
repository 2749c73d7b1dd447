package dev.ferry.cli;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.Dialects;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.consolidated.SchemaCheck;
import dev.ferry.server.consolidated.SqlErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code ferry schema}: what the server makes of the consolidated database's schema. */
@Command(name = "schema", description = "Inspect the consolidated schema as Ferry synchronizes it.", subcommands = {SchemaCommand.Check.class})
final class SchemaCommand {

    /** {@code ferry schema check}. */
    @Command(name = "check", description = "Print the plan a server start would follow: the tables that synchronize, how each column maps"
            + " on the server and on SQLite and H2 remotes, and every table refused, each with its reason and what to do."
            + " Reads only; exit 0 when nothing is refused, 6 when something is.")
    static final class Check implements Callable<Integer> {
        @Mixin
        ServerConfigOptions server;

        @Override
        public Integer call() {
            ServerConfig cfg = server.load();
            ConsolidatedDialect dialect = Dialects.consolidated(cfg.consolidatedUrl());
            SchemaReading reading;
            try (Connection c = connect(cfg, dialect)) {
                Dialects.confirm(dialect, c);
                reading = SchemaCheck.read(c, dialect, cfg.tables(), cfg.columns());
            } catch (SQLException e) {
                throw SqlErrors.wrap("reading the schema of the consolidated database", dialect, e);
            }
            new SchemaPlanReport(reading, cfg.tables(), Dialects.redact(cfg.consolidatedUrl()), dialect.name()).print(System.out);
            return reading.refusals().isEmpty() ? 0 : reading.refusedError().code().exitCode();
        }

        private static Connection connect(ServerConfig cfg, ConsolidatedDialect dialect) {
            try {
                return DriverManager.getConnection(cfg.consolidatedUrl(), properties(cfg, dialect));
            } catch (SQLException e) {
                throw new FerryException(ErrorCode.DATABASE_UNAVAILABLE, "cannot connect to the consolidated database "
                        + Dialects.redact(cfg.consolidatedUrl()) + ": " + e.getMessage(), "check that the database runs and the URL, user and password are right");
            }
        }

        private static Properties properties(ServerConfig cfg, ConsolidatedDialect dialect) {
            Properties p = new Properties();
            dialect.driverProperties().forEach(p::put);
            if (cfg.consolidatedUser() != null && !cfg.consolidatedUser().isEmpty()) {
                p.put("user", cfg.consolidatedUser());
            }
            if (cfg.consolidatedPassword() != null && !cfg.consolidatedPassword().isEmpty()) {
                p.put("password", cfg.consolidatedPassword());
            }
            return p;
        }
    }
}
