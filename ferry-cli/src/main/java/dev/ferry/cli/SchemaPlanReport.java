package dev.ferry.cli;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.ColumnGeneration;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.core.schema.SchemaRefusal;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.Dialects;
import dev.ferry.dialect.RemoteDialect;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text {@code ferry schema check} prints: every synchronized table in apply order with each
 * column's type on the server, in Ferry and on each kind of remote; then every refusal with its reason
 * and hint; then the tables left out for having no primary key.
 */
final class SchemaPlanReport {
    private static final RemoteDialect SQLITE = Dialects.remote("jdbc:sqlite:");
    private static final RemoteDialect H2 = Dialects.remote("jdbc:h2:");

    private final SchemaReading reading;
    private final List<String> named;
    private final String url;
    private final String database;

    SchemaPlanReport(SchemaReading reading, List<String> named, String url, String database) {
        this.reading = reading;
        this.named = named;
        this.url = url;
        this.database = database;
    }

    void print(PrintStream out) {
        List<TableDef> tables = SyncSchema.of(reading.tables()).tables();
        out.printf("Schema plan for %s (%s): %d %s, %d refused%s%n", url, database, tables.size(),
                tables.size() == 1 ? "table synchronizes" : "tables synchronize",
                reading.refusals().stream().map(SchemaRefusal::table).distinct().count(),
                reading.withoutKey().isEmpty() ? "" : ", " + reading.withoutKey().size() + " without a primary key left out");
        if (!reading.refusals().isEmpty()) {
            out.println(named.isEmpty()
                    ? "A server start synchronizes the tables below and leaves the refused ones out (it warns about them)."
                    : "A server start is refused: every table sync.tables names must synchronize.");
        }
        if (!tables.isEmpty()) {
            out.println();
            out.println("Synchronized, in the order uploads apply (parents first):");
        }
        for (TableDef t : tables) {
            out.printf("  %s  key (%s)%s%n", t.name(), String.join(", ", t.primaryKey()), references(t));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"column", database, "Ferry", "SQLite", "H2", ""});
            Map<String, String> types = reading.nativeTypes().getOrDefault(t.name(), Map.of());
            for (ColumnDef c : t.columns()) {
                rows.add(new String[]{c.name(), types.getOrDefault(c.name(), "?"), c.typeLabel() + (c.nullable() ? "" : " NOT NULL"),
                        SQLITE.nativeType(c), H2.nativeType(c), note(c)});
            }
            AlignedColumns.print(out, "    ", rows);
            List<String> leftOut = reading.leftOut().get(t.name());
            if (leftOut != null) {
                out.printf("    left out by sync.tables.%s: %s%n", t.name(), String.join(", ", leftOut));
            }
        }
        if (!reading.refusals().isEmpty()) {
            out.println();
            out.println("Refused:");
            for (SchemaRefusal r : reading.refusals()) {
                out.printf("  %s%s  %s: %s%n", r.table(), r.column() == null ? "" : "." + r.column(), r.code(), r.reason());
                if (r.hint() != null) {
                    out.printf("      what to do: %s%n", r.hint());
                }
            }
        }
        if (!reading.withoutKey().isEmpty()) {
            out.println();
            out.println("Left out, no primary key (Ferry identifies rows by it): " + String.join(", ", reading.withoutKey()));
        }
    }

    private static String references(TableDef t) {
        List<String> parents = t.foreignKeys().stream().map(fk -> fk.referencedTable()).filter(p -> !p.equals(t.name())).distinct().toList();
        return parents.isEmpty() ? "" : "  references " + String.join(", ", parents);
    }

    private static String note(ColumnDef c) {
        if (c.generation() == ColumnGeneration.COMPUTED) {
            return "computed by the server: downloaded, never uploaded";
        }
        if (c.generation() == ColumnGeneration.IDENTITY_ALWAYS) {
            return "identity (always): remotes' inserts keep their key";
        }
        return "";
    }
}
