package dev.ferry.cli;

import dev.ferry.server.config.ServerConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/**
 * The options of a command that works on the consolidated database the way the server does, with the
 * server's configuration (its {@code sync.tables}, column choice and credentials): a picocli mixin.
 */
final class ServerConfigOptions {
    @Option(names = "--config", description = "the server's YAML configuration (its sync.tables and consolidated database)")
    Path config;

    @Option(names = "--consolidated", description = "JDBC URL of the consolidated database (default: the configuration's, else the embedded H2"
            + " under ./ferry-data)")
    String consolidated;

    /** The configuration file, the environment and {@code --consolidated}, as the server resolves them. */
    ServerConfig load() {
        return ServerConfig.load(config, System.getenv(),
                consolidated == null ? Map.of() : Map.of(ServerConfig.CONSOLIDATED_URL.key(), consolidated));
    }
}
