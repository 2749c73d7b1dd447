package dev.ferry.core.schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides how tables on foreign-key cycles are applied (issue 13): each cycle is broken at one foreign
 * key whose columns are all nullable, its <em>closing</em> key. The table order ignores closing keys, so
 * it exists; a row is then written with its closing columns NULL and completed once every row it may
 * reference is written, and a row to delete has them set to NULL first (docs/SCHEMAS.md, "Foreign-key
 * cycles"). This works on every database without deferred constraints or disabled checks. A nullable
 * self-reference is a closing key too (a cycle of one), so the rows of one table may reference each other
 * in any order; a NOT NULL self-reference is not, and relies on row order as before. A cycle whose keys
 * are all NOT NULL cannot be broken this way and is reported ({@link #unbreakable()}).
 *
 * <p>Deterministic: the same tables give the same closing keys on the server and on every remote.
 * Immutable.
 */
public final class ForeignKeyCycles {
    private static final Comparator<ForeignKeyDef> BY_NAME = Comparator.comparing(ForeignKeyDef::name, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(fk -> String.join(",", fk.columns()));

    /** A foreign key with the table that owns it: two tables may hold keys that are equal as records. */
    private record Edge(String owner, ForeignKeyDef fk) {
    }

    private final List<TableDef> ordered;
    private final Map<String, List<ForeignKeyDef>> closing;
    private final List<String> unbreakable;

    private ForeignKeyCycles(List<TableDef> ordered, Map<String, List<ForeignKeyDef>> closing, List<String> unbreakable) {
        this.ordered = ordered;
        this.closing = closing;
        this.unbreakable = unbreakable;
    }

    /** Finds the closing keys of {@code tables} and orders them parents first, ignoring those keys. */
    public static ForeignKeyCycles of(List<TableDef> tables) {
        Map<String, TableDef> byName = new LinkedHashMap<>();
        for (TableDef t : tables) {
            byName.put(t.name(), t);
        }
        Set<Edge> cut = new LinkedHashSet<>();
        Map<String, List<ForeignKeyDef>> closing = new LinkedHashMap<>();
        for (TableDef t : byName.values()) {
            for (ForeignKeyDef fk : t.foreignKeys()) {
                if (fk.referencedTable().equals(t.name()) && nullable(t, fk)) {
                    cut.add(new Edge(t.name(), fk));
                    closing.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(fk);
                }
            }
        }
        while (true) {
            List<TableDef> out = new ArrayList<>();
            List<String> cycle = order(byName, cut, out);
            if (cycle == null) {
                return new ForeignKeyCycles(List.copyOf(out), freeze(closing), null);
            }
            ForeignKeyDef breakAt = null;
            String owner = null;
            for (int i = 0; i + 1 < cycle.size(); i++) {
                TableDef from = byName.get(cycle.get(i));
                String to = cycle.get(i + 1);
                for (ForeignKeyDef fk : from.foreignKeys().stream().sorted(BY_NAME).toList()) {
                    if (fk.referencedTable().equals(to) && !cut.contains(new Edge(from.name(), fk)) && nullable(from, fk)
                            && (breakAt == null || from.name().compareTo(owner) < 0)) {
                        breakAt = fk;
                        owner = from.name();
                        break;
                    }
                }
            }
            if (breakAt == null) {
                return new ForeignKeyCycles(List.of(), freeze(closing), List.copyOf(cycle));
            }
            cut.add(new Edge(owner, breakAt));
            closing.computeIfAbsent(owner, k -> new ArrayList<>()).add(breakAt);
        }
    }

    /** The tables parents first, closing keys ignored; empty when {@link #unbreakable()} is not null. */
    public List<TableDef> ordered() {
        return ordered;
    }

    /** The first cycle no nullable key breaks (its first table repeated at the end), or null when every cycle is broken. */
    public List<String> unbreakable() {
        return unbreakable;
    }

    /** The closing keys {@code table} owns, in the order chosen; empty for most tables. */
    public List<ForeignKeyDef> closing(String table) {
        return closing.getOrDefault(table, List.of());
    }

    /** Whether {@code table} owns a closing key or is referenced by one: its rows may need the NULL-first steps. */
    public boolean onCycle(String table) {
        if (closing.containsKey(table)) {
            return true;
        }
        return closing.values().stream().flatMap(List::stream).anyMatch(fk -> fk.referencedTable().equals(table));
    }

    private static boolean nullable(TableDef t, ForeignKeyDef fk) {
        for (String col : fk.columns()) {
            int i = t.columnIndex(col);
            if (i < 0 || !t.columns().get(i).nullable() || t.primaryKey().contains(col)) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, List<ForeignKeyDef>> freeze(Map<String, List<ForeignKeyDef>> m) {
        Map<String, List<ForeignKeyDef>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Map.copyOf(out);
    }

    /** Puts the tables parents first into {@code out}, ignoring {@code cut} and every self-reference; stops at, and returns, the first cycle. */
    private static List<String> order(Map<String, TableDef> byName, Set<Edge> cut, List<TableDef> out) {
        Map<String, Integer> mark = new HashMap<>(); // 1 = visiting, 2 = done
        for (String name : new TreeSet<>(byName.keySet())) {
            List<String> cycle = visit(name, byName, cut, mark, out, new ArrayList<>());
            if (cycle != null) {
                return cycle;
            }
        }
        return null;
    }

    private static List<String> visit(String name, Map<String, TableDef> byName, Set<Edge> cut, Map<String, Integer> mark,
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
            if (!fk.referencedTable().equals(name) && byName.containsKey(fk.referencedTable()) && !cut.contains(new Edge(name, fk))) {
                parents.add(fk.referencedTable());
            }
        }
        for (String p : parents) {
            List<String> cycle = visit(p, byName, cut, mark, out, path);
            if (cycle != null) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        mark.put(name, 2);
        out.add(t);
        return null;
    }
}
