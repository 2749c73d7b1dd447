package dev.ferry.core.schema;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The set of synchronized tables in foreign-key order: every table comes after the tables it
 * references, so inserts and updates apply in {@link #tables()} order and deletes in reverse order
 * (the rule of the seeds, 003 and 004). Tables on a foreign-key cycle are ordered as if the cycle's
 * closing key were not there ({@link ForeignKeyCycles}, issue 13): writers complete those columns after
 * the rows they reference ({@link #closing}). Only a cycle whose keys are all NOT NULL is refused, with
 * {@link ErrorCode#SCHEMA_FK_CYCLE}: no order of statements can then apply it on a database that checks
 * each statement. Immutable.
 */
public final class SyncSchema {
    private final List<TableDef> ordered;
    private final Map<String, TableDef> byName;
    private final ForeignKeyCycles cycles;

    private SyncSchema(ForeignKeyCycles cycles) {
        this.ordered = cycles.ordered();
        this.cycles = cycles;
        Map<String, TableDef> m = new LinkedHashMap<>();
        for (TableDef t : ordered) {
            m.put(t.name(), t);
        }
        this.byName = m;
    }

    /** Orders the tables parents-first; throws {@link ErrorCode#SCHEMA_FK_CYCLE} naming a cycle no nullable key breaks. */
    public static SyncSchema of(List<TableDef> tables) {
        ForeignKeyCycles cycles = ForeignKeyCycles.of(tables);
        List<String> cycle = cycles.unbreakable();
        if (cycle != null) {
            throw new FerryException(ErrorCode.SCHEMA_FK_CYCLE,
                    "foreign keys form a cycle whose columns are all NOT NULL between synchronized tables: " + String.join(" -> ", cycle),
                    "make one foreign-key column of the cycle nullable, or list only one side of the cycle in the tables: setting");
        }
        return new SyncSchema(cycles);
    }

    /**
     * The first foreign-key cycle among {@code tables} that no nullable key breaks (its first table
     * repeated at the end), or null when there is none.
     */
    public static List<String> findCycle(List<TableDef> tables) {
        return ForeignKeyCycles.of(tables).unbreakable();
    }

    /** The cycle-closing foreign keys of {@code table} (see {@link ForeignKeyCycles}); empty for a table on no cycle. */
    public List<ForeignKeyDef> closing(String table) {
        return cycles.closing(table);
    }

    /** Whether {@code table} owns a closing key or is referenced by one. */
    public boolean onCycle(String table) {
        return cycles.onCycle(table);
    }

    /** Tables parents first. */
    public List<TableDef> tables() {
        return ordered;
    }

    public TableDef table(String name) {
        TableDef t = byName.get(name);
        if (t == null) {
            throw new FerryException(ErrorCode.TABLE_NOT_FOUND, "table " + name + " is not synchronized");
        }
        return t;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public int position(String table) {
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).name().equals(table)) {
                return i;
            }
        }
        return -1;
    }
}
