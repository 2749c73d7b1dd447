package dev.ferry.cli;

import dev.ferry.server.auth.Users;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code ferry user}: manages sync users in the consolidated database. */
@Command(name = "user", description = "Manage sync users.", subcommands = {UserCommand.Add.class, ParamCommands.UserParam.class})
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
        java.util.List<String> params = new java.util.ArrayList<>();

        @Override
        public Integer call() {
            String pw = "-".equals(password) ? System.getenv().getOrDefault("FERRY_PASSWORD", "") : password;
            ServerConfig defaults = ServerConfig.defaults();
            java.util.Map<String, String> values = dev.ferry.server.partition.PartitionParameters.parsePairs(params);
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(consolidated, "", "", 2)) {
                new Users(db, defaults.passwordIterations()).add(name, pw.toCharArray());
                if (!values.isEmpty()) {
                    dev.ferry.server.partition.PartitionParameters.change(db, dev.ferry.server.partition.PartitionParameters.Owner.USER, name, values,
                            java.util.List.of());
                }
            }
            System.out.println("Added user " + name);
            return 0;
        }
    }
}
