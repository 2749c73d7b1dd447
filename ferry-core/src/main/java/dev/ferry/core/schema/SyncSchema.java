package dev.ferry.core.schema;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The set of synchronized tables in foreign-key order: every table comes after the tables it
 * references, so inserts and updates apply in {@link #tables()} order and deletes in reverse order
 * (the rule of the seeds, 003 and 004). Self-references are allowed; a cycle between two or more
 * synchronized tables is refused at provisioning with {@link ErrorCode#SCHEMA_FK_CYCLE}, because no
 * table order can then apply an upload without deferred constraints.
 */
public final class SyncSchema {
    private final List<TableDef> ordered;
    private final Map<String, TableDef> byName;

    private SyncSchema(List<TableDef> ordered) {
        this.ordered = List.copyOf(ordered);
        Map<String, TableDef> m = new LinkedHashMap<>();
        for (TableDef t : ordered) {
            m.put(t.name(), t);
        }
        this.byName = m;
    }

    /** Orders the tables parents-first; throws {@link ErrorCode#SCHEMA_FK_CYCLE} naming the cycle. */
    public static SyncSchema of(List<TableDef> tables) {
        Map<String, TableDef> byName = new LinkedHashMap<>();
        for (TableDef t : tables) {
            byName.put(t.name(), t);
        }
        List<TableDef> out = new ArrayList<>();
        Map<String, Integer> mark = new HashMap<>(); // 1 = visiting, 2 = done
        for (String name : new TreeSet<>(byName.keySet())) {
            visit(name, byName, mark, out, new ArrayList<>());
        }
        return new SyncSchema(out);
    }

    private static void visit(String name, Map<String, TableDef> byName, Map<String, Integer> mark,
                              List<TableDef> out, List<String> path) {
        Integer m = mark.get(name);
        if (m != null && m == 2) {
            return;
        }
        if (m != null && m == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            throw new FerryException(ErrorCode.SCHEMA_FK_CYCLE,
                    "foreign keys form a cycle between synchronized tables: " + String.join(" -> ", cycle),
                    "list only one side of the cycle in the tables: setting, or make one key nullable and drop the constraint");
        }
        mark.put(name, 1);
        path.add(name);
        TableDef t = byName.get(name);
        Set<String> parents = new TreeSet<>();
        for (ForeignKeyDef fk : t.foreignKeys()) {
            if (!fk.referencedTable().equals(name) && byName.containsKey(fk.referencedTable())) {
                parents.add(fk.referencedTable());
            }
        }
        for (String p : parents) {
            visit(p, byName, mark, out, path);
        }
        path.remove(path.size() - 1);
        mark.put(name, 2);
        out.add(t);
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
