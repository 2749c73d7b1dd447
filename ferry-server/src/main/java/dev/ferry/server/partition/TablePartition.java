package dev.ferry.server.partition;

import dev.ferry.server.config.Publications.Direction;
import dev.ferry.server.consolidated.TableSql;

import java.util.List;

/**
 * One table as a set of subscribed publications shares it: its statements, which way rows travel, and
 * (when filtered) the filter, the shadow tables of the other tables the filter reads, and the
 * statements over the holdings table. Immutable.
 *
 * @param filter       null when every row is shared
 * @param readsShadows quoted shadow tables of the other tracked tables the filter reads (a change in
 *                     one of them re-evaluates the filter for every remote)
 * @param sql          the partition statements, null when unfiltered
 */
public record TablePartition(TableSql table, Direction direction, FilterSql filter, List<String> readsShadows, PartitionSql sql) {
    public TablePartition {
        readsShadows = List.copyOf(readsShadows);
    }

    public boolean filtered() {
        return filter != null;
    }
}
