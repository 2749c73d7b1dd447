package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.remote.RemoteCatalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The synchronized tables of a remote, rebuilt from {@code ferry_table} and {@code ferry_column}, parents first. */
final class RemoteTables {
    private final List<TableDef> ordered;
    private final Map<String, TableDef> byName = new LinkedHashMap<>();

    private RemoteTables(List<TableDef> ordered) {
        this.ordered = List.copyOf(ordered);
        for (TableDef t : ordered) {
            byName.put(t.name(), t);
        }
    }

    static RemoteTables load(Connection c) throws SQLException {
        return new RemoteTables(RemoteCatalog.readTables(c));
    }

    List<TableDef> tables() {
        return ordered;
    }

    List<String> names() {
        return ordered.stream().map(TableDef::name).toList();
    }

    /** The table of that name, or null when this remote does not synchronize it. */
    TableDef find(String name) {
        return byName.get(name);
    }

    /** The synchronized table an application or operator named: exactly, or else case-insensitively when that is unambiguous. */
    TableDef named(String name) {
        TableDef exact = byName.get(name);
        if (exact != null) {
            return exact;
        }
        List<TableDef> folded = byName.values().stream().filter(t -> t.name().equalsIgnoreCase(name)).toList();
        if (folded.size() == 1) {
            return folded.get(0);
        }
        throw new FerryException(ErrorCode.USAGE, "this remote does not synchronize a table " + name
                + (folded.isEmpty() ? "" : " (several differ from it only in case)"),
                "the synchronized tables are " + String.join(", ", byName.keySet()));
    }

    TableDef table(String name) {
        TableDef t = byName.get(name);
        if (t == null) {
            throw new FerryException(ErrorCode.SCHEMA_MISMATCH, "the server sent table " + name + ", which this remote does not synchronize",
                    "re-create the remote with `ferry remote init`");
        }
        return t;
    }
}
