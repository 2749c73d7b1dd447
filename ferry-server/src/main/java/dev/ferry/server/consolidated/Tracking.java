package dev.ferry.server.consolidated;

import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;

import java.util.List;
import java.util.Map;

/**
 * The provisioned state the server works from: the synchronized tables in foreign-key order and
 * their shadow tables. Derived from the database at start; immutable.
 */
public record Tracking(SyncSchema schema, Map<String, TrackedTable> byName) {
    public Tracking {
        byName = Map.copyOf(byName);
    }

    public TrackedTable tracked(String table) {
        return byName.get(schema.table(table).name());
    }

    /** Tables parents first. */
    public List<TableDef> tables() {
        return schema.tables();
    }
}
