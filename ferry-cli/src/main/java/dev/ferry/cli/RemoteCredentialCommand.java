package dev.ferry.cli;

import dev.ferry.client.RemoteDatabase;
import dev.ferry.server.auth.RemoteCredentials;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * A remote's credential (docs/SECURITY.md "Authentication and credentials"): {@code ferry remote passwd}
 * gets a new one from the server with the user's password; {@code ferry remote revoke-credential} is
 * the administrator's, on the consolidated database directly like {@code ferry remote grant}.
 */
final class RemoteCredentialCommand {
    private RemoteCredentialCommand() {
    }

    /** {@code ferry remote passwd}. */
    @Command(name = "passwd", description = "Prove the user's identity to the server again and store the new credential it issues for "
            + "this remote (the old one is revoked): after a revoked credential, a password change or `remote reset --server`.")
    static final class Passwd implements Callable<Integer> {
        @Option(names = "--db", required = true, description = "remote database file")
        String db;

        @Option(names = "--user", required = true, description = "sync user (the owner of the remote id, or a user granted it)")
        String user;

        @Option(names = "--password", required = true, description = "the user's password, not stored (or set FERRY_PASSWORD and pass -)")
        String password;

        @Override
        public Integer call() {
            try (RemoteDatabase r = RemoteDatabase.open(db)) {
                r.renewCredential(user, new String(PasswordArgument.resolve(password)));
                System.out.println("Stored a new credential for remote " + r.remoteId() + " (user " + user + "); the old one is revoked");
            }
            return 0;
        }
    }

    /** {@code ferry remote revoke-credential}. */
    @Command(name = "revoke-credential", description = "Revoke a remote id's credential: its next request is refused until "
            + "`ferry remote passwd` proves the user's password again.")
    static final class Revoke implements Callable<Integer> {
        @Option(names = "--consolidated", description = "JDBC URL of the consolidated database (default: the embedded H2 under ./ferry-data)")
        String consolidated = ServerConfig.DEFAULT_URL;

        @Option(names = "--remote", required = true, description = "the remote id")
        String remote;

        @Override
        public Integer call() {
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(consolidated, "", "", 2)) {
                System.out.println(new RemoteCredentials(db).revoke(remote)
                        ? "Revoked the credential of remote " + remote
                        : "Remote " + remote + " had no live credential: nothing revoked");
            }
            return 0;
        }
    }
}
