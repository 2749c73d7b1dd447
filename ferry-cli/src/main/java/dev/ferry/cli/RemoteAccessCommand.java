package dev.ferry.cli;

import dev.ferry.server.auth.RemoteGrants;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code ferry remote grant} and {@code ferry remote revoke}: an administrator lets a user other than
 * the owner act for a remote id, or takes that back. They work on the consolidated database directly,
 * as {@code ferry user add} does.
 */
final class RemoteAccessCommand {
    private RemoteAccessCommand() {
    }

    /** Options both commands share. */
    abstract static class Target {
        @Option(names = "--consolidated", description = "JDBC URL of the consolidated database (default: the embedded H2 under ./ferry-data)")
        String consolidated = ServerConfig.DEFAULT_URL;

        @Option(names = "--remote", required = true, description = "the remote id")
        String remote;

        @Option(names = "--user", required = true, description = "the sync user")
        String user;
    }

    /** {@code ferry remote grant}. */
    @Command(name = "grant", description = "Let a sync user other than its owner sync a remote id (not replace it).")
    static final class Grant extends Target implements Callable<Integer> {
        @Override
        public Integer call() {
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(consolidated, "", "", 2)) {
                String line = switch (new RemoteGrants(db).grant(remote, user)) {
                    case GRANTED -> "Granted remote " + remote + " to user " + user;
                    case ALREADY_GRANTED -> "User " + user + " already had remote " + remote;
                    case OWNER -> "User " + user + " owns remote " + remote + ": nothing to grant";
                };
                System.out.println(line);
            }
            return 0;
        }
    }

    /** {@code ferry remote revoke}. */
    @Command(name = "revoke", description = "Take back a grant made with `ferry remote grant`.")
    static final class Revoke extends Target implements Callable<Integer> {
        @Override
        public Integer call() {
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(consolidated, "", "", 2)) {
                System.out.println(new RemoteGrants(db).revoke(remote, user)
                        ? "Revoked remote " + remote + " from user " + user
                        : "User " + user + " had no grant for remote " + remote + ": nothing revoked");
            }
            return 0;
        }
    }
}
