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
        List<TableDef> out = new ArrayList<>();
        List<String> cycle = order(tables, out);
        if (cycle != null) {
            throw new FerryException(ErrorCode.SCHEMA_FK_CYCLE,
                    "foreign keys form a cycle between synchronized tables: " + String.join(" -> ", cycle),
                    "list only one side of the cycle in the tables: setting, or make one key nullable and drop the constraint");
        }
        return new SyncSchema(out);
    }

    /** The first foreign-key cycle among {@code tables} (its first table repeated at the end), or null when there is none. */
    public static List<String> findCycle(List<TableDef> tables) {
        return order(tables, new ArrayList<>());
    }

    /** Puts the tables parents-first into {@code out}; stops at, and returns, the first cycle. */
    private static List<String> order(List<TableDef> tables, List<TableDef> out) {
        Map<String, TableDef> byName = new LinkedHashMap<>();
        for (TableDef t : tables) {
            byName.put(t.name(), t);
        }
        Map<String, Integer> mark = new HashMap<>(); // 1 = visiting, 2 = done
        for (String name : new TreeSet<>(byName.keySet())) {
            List<String> cycle = visit(name, byName, mark, out, new ArrayList<>());
            if (cycle != null) {
                return cycle;
            }
        }
        return null;
    }

    private static List<String> visit(String name, Map<String, TableDef> byName, Map<String, Integer> mark,
                                      List<TableDef> out, List<String> path) {
        Integer m = mark.get(name);
        if (m != null && m == 2) {
            return null;
        }
        if (m != null && m == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            return cycle;
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
            List<String> cycle = visit(p, byName, mark, out, path);
            if (cycle != null) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        mark.put(name, 2);
        out.add(t);
        return null;
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
