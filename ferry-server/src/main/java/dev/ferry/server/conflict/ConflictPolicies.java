package dev.ferry.server.conflict;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.server.config.ConflictSettings;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The conflict policy of every synchronized table, resolved against the provisioned schema at server
 * start: a misnamed table, column, resolver class or procedure stops the server with a clear error
 * instead of surfacing at the first conflict.
 */
public final class ConflictPolicies {
    private final Map<String, ConflictPolicy> byTable;

    private ConflictPolicies(Map<String, ConflictPolicy> byTable) {
        this.byTable = Map.copyOf(byTable);
    }

    /** @param c a connection used only to check that configured procedures exist */
    public static ConflictPolicies build(ConflictSettings settings, List<TableDef> tables, ConsolidatedDialect dialect, Connection c)
            throws SQLException {
        Map<String, ConflictSettings.Policy> configured = new LinkedHashMap<>();
        settings.tables().forEach((name, policy) -> configured.put(match(name, tables, TableDef::name, policy.source()).name(), policy));
        Map<String, ConflictPolicy> out = new LinkedHashMap<>();
        for (TableDef t : tables) {
            ConflictSettings.Policy p = configured.getOrDefault(t.name(), settings.defaultPolicy());
            if (p.name().equals(ProcedurePolicy.NAME)) {
                requireProcedure(c, p.setting("procedure"), p.source() + ".procedure");
            }
            out.put(t.name(), create(p, t, dialect));
        }
        return new ConflictPolicies(out);
    }

    /** Server wins on every table. */
    public static ConflictPolicies serverWins(List<TableDef> tables) {
        Map<String, ConflictPolicy> out = new LinkedHashMap<>();
        tables.forEach(t -> out.put(t.name(), new ServerWins()));
        return new ConflictPolicies(out);
    }

    public ConflictPolicy forTable(String table) {
        return byTable.get(table);
    }

    private static ConflictPolicy create(ConflictSettings.Policy p, TableDef t, ConsolidatedDialect dialect) {
        return switch (p.name()) {
            case ServerWins.NAME -> new ServerWins();
            case ClientWins.NAME -> new ClientWins();
            case ColumnMerge.NAME -> new ColumnMerge(t, "client-wins".equals(p.setting("overlap")));
            case NewerWins.NAME -> {
                ColumnDef col = match(p.setting("timestampColumn"), t.columns(), ColumnDef::name, p.source() + ".timestampColumn");
                if (!NewerWins.ORDERED.contains(col.type())) {
                    throw new FerryException(ErrorCode.CONFIG_INVALID, p.source() + ".timestampColumn: column " + col.name() + " of " + t.name()
                            + " is " + col.type() + ", which cannot say which version is newer", "name a timestamp, date or number column");
                }
                yield new NewerWins(col);
            }
            case CustomResolverPolicy.NAME -> CustomResolverPolicy.load(p.source() + ".resolver", p.setting("resolver"));
            case ProcedurePolicy.NAME -> new ProcedurePolicy(dialect, p.setting("procedure"), new RowImages(t));
            default -> throw new FerryException(ErrorCode.CONFIG_INVALID, p.source() + ": unknown conflict policy " + p.name());
        };
    }

    private static void requireProcedure(Connection c, String name, String setting) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        for (String candidate : List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = md.getProcedures(c.getCatalog(), null, candidate)) {
                if (rs.next()) {
                    return;
                }
            }
        }
        throw new FerryException(ErrorCode.CONFIG_INVALID, setting + ": the consolidated database has no procedure " + name,
                "create it first (docs/CONFLICTS.md shows one for PostgreSQL and MariaDB)");
    }

    /** Exact name first; otherwise the one name equal ignoring case (H2 upper-cases unquoted names). */
    private static <T> T match(String name, List<T> candidates, Function<T, String> nameOf, String setting) {
        for (T c : candidates) {
            if (nameOf.apply(c).equals(name)) {
                return c;
            }
        }
        List<T> loose = candidates.stream().filter(c -> nameOf.apply(c).equalsIgnoreCase(name)).toList();
        if (loose.size() == 1) {
            return loose.get(0);
        }
        throw new FerryException(ErrorCode.CONFIG_INVALID, setting + ": '" + name + "' is not "
                + (loose.isEmpty() ? "one of " : "exactly one of ") + candidates.stream().map(nameOf).toList());
    }
}
