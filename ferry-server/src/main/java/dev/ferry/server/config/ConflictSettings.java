package dev.ferry.server.config;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conflict policies as configured: a default for every table and per-table entries under
 * {@code conflicts.tables.<table>}. Only the shape is checked here; that tables, columns, resolver
 * classes and procedures exist is checked against the consolidated database at server start.
 *
 * <pre>
 * conflicts:
 *   default: server-wins
 *   tables:
 *     customer: { policy: newer-wins, timestampColumn: updated_at }
 *     orders:   { policy: column-merge, overlap: client-wins }
 * </pre>
 */
public record ConflictSettings(Policy defaultPolicy, Map<String, Policy> tables) {
    public static final String TABLES_PREFIX = "conflicts.tables.";

    /** Policies that need no per-table setting, so they can be the default. */
    static final List<String> DEFAULTABLE = List.of("server-wins", "client-wins", "column-merge");

    private static final Map<String, Set<String>> SETTINGS = Map.of(
            "server-wins", Set.of(),
            "client-wins", Set.of(),
            "newer-wins", Set.of("timestampColumn"),
            "column-merge", Set.of("overlap"),
            "custom", Set.of("resolver"),
            "procedure", Set.of("procedure"));

    private static final Map<String, String> REQUIRED = Map.of(
            "newer-wins", "timestampColumn",
            "custom", "resolver",
            "procedure", "procedure");

    public ConflictSettings {
        tables = Map.copyOf(tables);
    }

    /**
     * One table's policy and its settings.
     *
     * @param source where it was configured, for error messages
     */
    public record Policy(String name, Map<String, String> settings, String source) {
        public Policy {
            settings = Map.copyOf(settings);
        }

        public String setting(String key) {
            return settings.get(key);
        }
    }

    /**
     * @param defaultPolicy the {@code conflicts.default} value
     * @param tableKeys     every {@code conflicts.tables.<table>.<setting>} key with its value
     */
    static ConflictSettings parse(String defaultPolicy, Map<String, String> tableKeys) {
        Map<String, Map<String, String>> byTable = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : tableKeys.entrySet()) {
            String rest = e.getKey().substring(TABLES_PREFIX.length());
            int dot = rest.lastIndexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, e.getKey() + ": expected " + TABLES_PREFIX + "<table>.<setting>");
            }
            byTable.computeIfAbsent(rest.substring(0, dot), t -> new LinkedHashMap<>()).put(rest.substring(dot + 1), e.getValue().trim());
        }
        Map<String, Policy> tables = new LinkedHashMap<>();
        byTable.forEach((table, settings) -> tables.put(table, policy(TABLES_PREFIX + table, settings)));
        return new ConflictSettings(new Policy(defaultPolicy, Map.of(), "conflicts.default"), tables);
    }

    private static Policy policy(String prefix, Map<String, String> settings) {
        Map<String, String> rest = new LinkedHashMap<>(settings);
        String name = rest.remove("policy");
        if (name == null || name.isEmpty()) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, prefix + ".policy is missing",
                    "one of " + SETTINGS.keySet().stream().sorted().toList());
        }
        Set<String> allowed = SETTINGS.get(name);
        if (allowed == null) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, prefix + ".policy = '" + name + "' is not a conflict policy",
                    "one of " + SETTINGS.keySet().stream().sorted().toList());
        }
        for (String key : rest.keySet()) {
            if (!allowed.contains(key)) {
                throw new FerryException(ErrorCode.CONFIG_INVALID, prefix + "." + key + " is not a setting of policy " + name,
                        allowed.isEmpty() ? name + " takes no settings" : name + " takes " + allowed);
            }
        }
        String required = REQUIRED.get(name);
        if (required != null && (rest.get(required) == null || rest.get(required).isEmpty())) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, prefix + "." + required + " is required by policy " + name);
        }
        String overlap = rest.get("overlap");
        if (overlap != null && !overlap.equals("server-wins") && !overlap.equals("client-wins")) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, prefix + ".overlap = '" + overlap + "' is invalid: expected server-wins or client-wins");
        }
        return new Policy(name, rest, prefix);
    }
}
