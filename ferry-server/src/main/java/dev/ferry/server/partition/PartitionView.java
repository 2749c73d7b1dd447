package dev.ferry.server.partition;

import dev.ferry.core.schema.TableDef;
import dev.ferry.server.consolidated.Tracking;

import java.util.List;
import java.util.Map;

/**
 * What a set of subscribed publications shares (docs/PARTITIONS.md): the tables, parents first (the
 * schema a remote of this set creates, foreign keys to unpublished tables left out), and per table its
 * {@link TablePartition}. A table in two publications gets the union: the rows either filter admits,
 * the ways either direction allows. Immutable; one per distinct subscription set, shared by all remotes.
 */
public record PartitionView(List<String> publications, Tracking tracking, Map<String, TablePartition> tables) {
    public PartitionView {
        publications = List.copyOf(publications);
        tables = Map.copyOf(tables);
    }

    /** Every tracked table, both ways, unfiltered: what a server without publications shares. */
    public static PartitionView everything(Tracking tracking, Map<String, dev.ferry.server.consolidated.TableSql> sql) {
        Map<String, TablePartition> all = new java.util.LinkedHashMap<>();
        for (TableDef t : tracking.tables()) {
            all.put(t.name(), new TablePartition(sql.get(t.name()), dev.ferry.server.config.Publications.Direction.BOTH, null, List.of(), null));
        }
        return new PartitionView(List.of(), tracking, all);
    }

    public List<TableDef> schema() {
        return tracking.tables();
    }

    public TablePartition partition(String table) {
        return tables.get(table);
    }

    /** Whether any table of the view is filtered (then downloads need the remote's parameters and holdings). */
    public boolean anyFiltered() {
        return tables.values().stream().anyMatch(TablePartition::filtered);
    }
}
