package dev.ferry.cli;

import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.partition.PartitionParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ferry remote set-param} and {@code ferry user set-param}: the partition parameters publication
 * filters are bound with (docs/PARTITIONS.md), set on the consolidated database directly like
 * {@code ferry user add}. A remote's parameter overrides its owner's. The remotes affected move rows in
 * and out at their next sync.
 */
final class ParamCommands {
    private ParamCommands() {
    }

    /** Options both commands share. */
    abstract static class Change {
        @Option(names = "--consolidated", description = "JDBC URL of the consolidated database (default: the embedded H2 under ./ferry-data)")
        String consolidated = ServerConfig.DEFAULT_URL;

        @Option(names = "--param", description = "name=value to set (repeatable)")
        List<String> set = new ArrayList<>();

        @Option(names = "--unset", description = "a parameter name to remove (repeatable)")
        List<String> unset = new ArrayList<>();

        int change(PartitionParameters.Owner owner, String name) {
            Map<String, String> values = PartitionParameters.parsePairs(set);
            try (ConsolidatedDatabase db = ConsolidatedDatabase.open(consolidated, "", "", 2)) {
                PartitionParameters.change(db, owner, name, values, unset);
            }
            System.out.println("Parameters of " + owner.name().toLowerCase() + " " + name + ": set " + values + (unset.isEmpty() ? "" : ", unset " + unset));
            return 0;
        }
    }

    /** {@code ferry remote set-param}. */
    @Command(name = "set-param", description = "Set or unset partition parameters of one remote (override its owner's).")
    static final class RemoteParam extends Change implements Callable<Integer> {
        @Option(names = "--remote", required = true, description = "the remote id")
        String remote;

        @Override
        public Integer call() {
            return change(PartitionParameters.Owner.REMOTE, remote);
        }
    }

    /** {@code ferry user set-param}. */
    @Command(name = "set-param", description = "Set or unset partition parameters of a sync user (for every remote it owns).")
    static final class UserParam extends Change implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "user name")
        String name;

        @Override
        public Integer call() {
            return change(PartitionParameters.Owner.USER, name);
        }
    }
}
