package dev.ferry.core.schema;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What reading the consolidated schema found: the tables that can synchronize, every refusal, and the
 * native type of each accepted column (for the plan {@code ferry schema check} prints). A refused table
 * is left out whole, and foreign keys that point at it are dropped from the accepted tables. Immutable.
 *
 * @param tables      the accepted tables, in the order read
 * @param refusals    everything refused, in the order found
 * @param nativeTypes table name to column name to the database's own spelling of the column's type
 * @param withoutKey  tables left out because they have no primary key, when every table was asked for
 *                    (not a refusal: such tables are skipped by design, and listed for the plan)
 * @param leftOut     table name to the columns the configuration leaves out ({@link ColumnChoice})
 */
public record SchemaReading(List<TableDef> tables, List<SchemaRefusal> refusals, Map<String, Map<String, String>> nativeTypes,
                            List<String> withoutKey, Map<String, List<String>> leftOut) {
    public SchemaReading {
        tables = List.copyOf(tables);
        refusals = List.copyOf(refusals);
        nativeTypes = Map.copyOf(nativeTypes);
        withoutKey = List.copyOf(withoutKey);
        leftOut = Map.copyOf(leftOut);
    }

    /**
     * This reading after refusing every table on a foreign-key cycle whose key columns are all NOT NULL
     * (issue 13): a cycle with a nullable key synchronizes, broken at that key ({@link ForeignKeyCycles}),
     * but one without cannot be applied by any order of statements on a database that checks each one.
     */
    public SchemaReading withoutCycles() {
        SchemaReading r = this;
        for (List<String> cycle = SyncSchema.findCycle(r.tables); cycle != null; cycle = SyncSchema.findCycle(r.tables)) {
            List<SchemaRefusal> refused = new ArrayList<>();
            for (String table : new LinkedHashSet<>(cycle)) {
                refused.add(new SchemaRefusal(table, null, ErrorCode.SCHEMA_FK_CYCLE,
                        "table " + table + " is on a foreign-key cycle between synchronized tables whose key columns are all NOT NULL: "
                                + String.join(" -> ", cycle),
                        "make one foreign-key column of the cycle nullable (Ferry writes it after the row it references),"
                                + " or leave one table of the cycle out of sync.tables"));
            }
            r = r.refuse(refused);
        }
        return r;
    }

    /** This reading with {@code more} refused: their tables leave, and so do foreign keys that reference them. */
    public SchemaReading refuse(List<SchemaRefusal> more) {
        Set<String> gone = more.stream().map(SchemaRefusal::table).collect(Collectors.toSet());
        List<TableDef> kept = new ArrayList<>();
        for (TableDef t : tables) {
            if (!gone.contains(t.name())) {
                kept.add(new TableDef(t.name(), t.columns(), t.primaryKey(),
                        t.foreignKeys().stream().filter(fk -> !gone.contains(fk.referencedTable())).toList()));
            }
        }
        List<SchemaRefusal> all = new ArrayList<>(refusals);
        all.addAll(more);
        Map<String, Map<String, String>> types = new LinkedHashMap<>(nativeTypes);
        types.keySet().removeAll(gone);
        return new SchemaReading(kept, all, types, withoutKey, leftOut);
    }

    /**
     * The error a start reports when something is refused: the only refusal's own, or, for several,
     * one that lists every one of them.
     */
    public FerryException refusedError() {
        if (refusals.size() == 1) {
            return refusals.get(0).toException();
        }
        String list = refusals.stream().map(r -> "\n  - " + r).collect(Collectors.joining());
        return new FerryException(ErrorCode.SCHEMA_REFUSED, refusals.size() + " problems in the synchronized tables:" + list,
                "fix or leave out each table listed; `ferry schema check` prints the whole plan");
    }
}
