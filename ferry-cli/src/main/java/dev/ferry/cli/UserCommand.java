package dev.ferry.cli;

import dev.ferry.server.auth.Users;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.partition.PartitionParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ferry user}: manages sync users in the consolidated database. */
@Command(name = "user", description = "Manage sync users.",
        subcommands = {UserCommand.Add.class, UserCommand.Disable.class, UserCommand.Enable.class, UserCommand.Passwd.class,
                ParamCommands.UserParam.class})
final class UserCommand {

    /** {@code ferry user add}. */
    @Command(name = "add", description = "Add a sync user (password stored as a salted PBKDF2 hash).")
    static final class Add implements Callable<Integer> {
        @Option(names = "--consolidated", description = "JDBC URL of the consolidated database (default: the embedded H2 under ./ferry-data)")
        String consolidated = ServerConfig.DEFAULT_URL;

        @Option(names = "--name", required = true, description = "user name")
        String name;

        @Option(names = "--password", required = true, description = "password (or set FERRY_PASSWORD and pass -)")
        String password;

        @Option(names = "--param", description = "a partition parameter name=value for the user's remotes (repeatable; docs/PARTITIONS.md)")
        List<String> params = new ArrayList<>();

        @Override
        public Integer call() {
            char[] pw = PasswordArgument.resolve(password);
            Map<String, String> values = PartitionParameters.parsePairs(params);
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(consolidated, "", "", 2)) {
                users(db).add(name, pw);
                if (!values.isEmpty()) {
                    PartitionParameters.change(db, PartitionParameters.Owner.USER, name, values, List.of());
                }
            }
            System.out.println("Added user " + name);
            return 0;
        }
    }

    /** The options every command on one user shares. */
    abstract static class Target {
        @Option(names = "--consolidated", description = "JDBC URL of the consolidated database (default: the embedded H2 under ./ferry-data)")
        String consolidated = ServerConfig.DEFAULT_URL;

        @Option(names = "--name", required = true, description = "user name")
        String name;
    }

    /** {@code ferry user disable}. */
    @Command(name = "disable", description = "Refuse the user's next request, with password or any of its remotes' credentials.")
    static final class Disable extends Target implements Callable<Integer> {
        @Override
        public Integer call() {
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(consolidated, "", "", 2)) {
                users(db).setDisabled(name, true);
            }
            System.out.println("Disabled user " + name);
            return 0;
        }
    }

    /** {@code ferry user enable}. */
    @Command(name = "enable", description = "Let a disabled user sync again (its remotes' credentials work again).")
    static final class Enable extends Target implements Callable<Integer> {
        @Override
        public Integer call() {
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(consolidated, "", "", 2)) {
                users(db).setDisabled(name, false);
            }
            System.out.println("Enabled user " + name);
            return 0;
        }
    }

    /** {@code ferry user passwd}. */
    @Command(name = "passwd", description = "Set a new password and revoke every credential issued to the user: each of its remotes "
            + "runs `ferry remote passwd` with the new password.")
    static final class Passwd extends Target implements Callable<Integer> {
        @Option(names = "--password", required = true, description = "the new password (or set FERRY_PASSWORD and pass -)")
        String password;

        @Override
        public Integer call() {
            char[] pw = PasswordArgument.resolve(password);
            int revoked;
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(consolidated, "", "", 2)) {
                revoked = users(db).changePassword(name, pw);
            }
            System.out.println("Changed the password of user " + name + "; revoked " + revoked + " remote credential(s): run `ferry remote passwd`"
                    + " on each of its remotes");
            return 0;
        }
    }

    private static Users users(ConsolidatedDatabase db) {
        return new Users(db, ServerConfig.defaults().passwordIterations());
    }
}
